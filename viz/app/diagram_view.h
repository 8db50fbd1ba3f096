// viz/app/diagram_view.h — the sequence diagram: a QGraphicsView over the items of a model
// Layout. Zoom (wheel, keys) changes the layout's ms-to-pixel scale, not the font, so labels
// stay legible at every zoom; pan by dragging the background or with the scroll bars; fit
// picks the scale that shows the whole run. Clicking an arrow, label or marker selects it.
#pragma once

#include <QGraphicsView>
#include <optional>
#include <vector>

#include "model/layout.h"
#include "model/playback.h"
#include "model/timeline.h"

namespace viz {

class ArrowItem;
class LabelItem;
class MarkerGlyphItem;
class CursorItem;

class DiagramView : public QGraphicsView {
  Q_OBJECT

 public:
  explicit DiagramView(QWidget* parent = nullptr);

  // Shows `timeline` revealed as `playback` says. Both are owned by the caller and must stay
  // alive until the next setTimeline (nullptr clears the view).
  void setTimeline(const Timeline* timeline, const Playback* playback);

  double pxPerMs() const { return options_.px_per_ms; }
  // Multiplies the scale by `factor` (clamped to [kMinPxPerMs, kMaxPxPerMs]) keeping the
  // virtual time under `anchor` (viewport coordinates; the centre when empty) in place.
  void zoomBy(double factor, std::optional<QPoint> anchor = std::nullopt);
  // The largest scale at which the whole run fits the viewport's height (the smallest scale
  // when even that does not fit: labels keep their rows, the view scrolls).
  void fit();
  void setCompressGaps(bool on);
  // Per timeline lane: draw it (empty: all). See LayoutOptions::shown_lanes.
  // `focus_peer`: LayoutOptions::focus_peer (a server's markers about other clients hidden).
  void setShownLanes(std::vector<bool> shown, std::string focus_peer = {});
  // Datagrams to mark with a wide translucent band behind their arrows (the differences of a
  // comparison); kept across rebuilds until the next call or setTimeline.
  void setMarkedDatagrams(std::vector<int> indices);
  // The lane whose header is at scene point `scene` (headers sit above the lanes), or -1.
  int laneAtHeader(QPointF scene) const;
  bool compressGaps() const { return options_.compress_gaps; }

  void setSelectedItem(const ItemRef& ref);  // highlights and scrolls to it; None clears
  ItemRef selectedItem() const { return selected_; }
  // Re-applies the playback state (visibility, flights in progress, the cursor line).
  void updatePlayback();

  // Renders the whole diagram (not just the visible part). Errors: the file cannot be written;
  // a diagram larger than 16384 px a side is scaled down to fit that.
  bool exportPng(const QString& path, QString* error) const;
  bool exportSvg(const QString& path, QString* error) const;

  int arrowCount() const { return static_cast<int>(arrows_.size()); }
  int shownArrowCount() const;  // arrows of shown lanes (created in the scene)
  int markerCount() const { return static_cast<int>(markers_.size()); }
  const Layout& currentLayout() const { return layout_; }
  // The scene position of the item (the arrow's start, the marker's glyph); for tests.
  QPointF itemScenePos(const ItemRef& ref) const;

  static constexpr double kMinPxPerMs = 0.01, kMaxPxPerMs = 200;

 signals:
  void itemClicked(const viz::ItemRef& ref);
  // A lane header was double-clicked: the viewer focuses on that lane's association.
  void laneActivated(int lane);
  void zoomChanged(double px_per_ms);

 protected:
  void wheelEvent(QWheelEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseDoubleClickEvent(QMouseEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;

 private:
  LayoutOptions optionsFor(double px_per_ms) const;
  void rebuild();
  void applyHighlight(bool on);

  const Timeline* timeline_ = nullptr;
  const Playback* playback_ = nullptr;
  LayoutOptions options_;
  Layout layout_;
  std::vector<int> marked_;
  // Owned by the scene; indexed like the Timeline; nullptr for an item of a hidden lane.
  std::vector<ArrowItem*> arrows_;
  std::vector<LabelItem*> arrow_labels_, fate_labels_, marker_labels_;
  std::vector<MarkerGlyphItem*> markers_;
  CursorItem* cursor_ = nullptr;
  ItemRef selected_;
};

}  // namespace viz
