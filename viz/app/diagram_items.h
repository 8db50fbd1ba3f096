// viz/app/diagram_items.h — the QGraphicsItems of the sequence diagram. Each draws one piece of
// a model Layout (viz/model/layout.h); none computes positions of its own.
#pragma once

#include <QGraphicsItem>
#include <QStringList>

#include "app/style.h"
#include "model/layout.h"
#include "model/playback.h"
#include "model/timeline.h"

namespace viz {

// Item data keys: every clickable item carries the ItemRef it stands for.
inline constexpr int kRefTypeKey = 0;
inline constexpr int kRefIndexKey = 1;
void setItemRef(QGraphicsItem* item, const ItemRef& ref);
ItemRef itemRefOf(const QGraphicsItem* item);

// Z order: background, arrows, label backgrounds and text, markers, the playback cursor.
inline constexpr double kZArrow = 1, kZLabel = 2, kZMarker = 3, kZCursor = 4;

// One datagram copy: a line from send to delivery (or to its cross), its end glyph. While the
// playback cursor is inside its flight it is drawn up to the cursor only.
class ArrowItem : public QGraphicsItem {
 public:
  ArrowItem(const DatagramGeometry& g, style::ArrowKind kind, bool lost, bool truncated,
            bool corrupted);
  QRectF boundingRect() const override;
  QPainterPath shape() const override;
  void paint(QPainter* p, const QStyleOptionGraphicsItem*, QWidget*) override;
  void setHighlighted(bool on);
  // InFlight: drawn to `cursor_y`; Hidden items are hidden by the caller.
  void setProgress(Reveal reveal, double cursor_y);

 private:
  QPointF end() const;
  DatagramGeometry g_;
  style::ArrowKind kind_;
  bool lost_, truncated_, corrupted_;
  bool highlighted_ = false;
  Reveal reveal_ = Reveal::Complete;
  double cursor_y_ = 0;
};

// A label: lines of text on a translucent white box so crossing arrows never hide it.
class LabelItem : public QGraphicsItem {
 public:
  LabelItem(const LabelBox& box, QColor color, double line_px, bool bold_first = false);
  QRectF boundingRect() const override;
  void paint(QPainter* p, const QStyleOptionGraphicsItem*, QWidget*) override;
  void setHighlighted(bool on);

 private:
  LabelBox box_;
  QColor color_;
  double line_px_;
  bool bold_first_;
  bool highlighted_ = false;
};

class MarkerGlyphItem : public QGraphicsItem {
 public:
  MarkerGlyphItem(MarkerKind kind, QPointF centre);
  QRectF boundingRect() const override;
  void paint(QPainter* p, const QStyleOptionGraphicsItem*, QWidget*) override;
  void setHighlighted(bool on);

 private:
  MarkerKind kind_;
  QPointF centre_;
  bool highlighted_ = false;
};

// Everything that does not move with playback: the band, lanes and their headers, the time
// ticks and grid, the breaks of compressed gaps.
class BackgroundItem : public QGraphicsItem {
 public:
  BackgroundItem(const Timeline& t, const Layout& l);
  QRectF boundingRect() const override;
  void paint(QPainter* p, const QStyleOptionGraphicsItem*, QWidget*) override;

 private:
  void paintHeaders(QPainter* p) const;
  void paintTicks(QPainter* p) const;
  void paintBreaks(QPainter* p) const;
  const Timeline& timeline_;
  Layout layout_;
};

// The playback cursor: a line across the diagram at the current step's time.
class CursorItem : public QGraphicsItem {
 public:
  explicit CursorItem(double width);
  QRectF boundingRect() const override;
  void paint(QPainter* p, const QStyleOptionGraphicsItem*, QWidget*) override;
  void setCursor(double y, const QString& text);

 private:
  double width_;
  QString text_;
};

}  // namespace viz
