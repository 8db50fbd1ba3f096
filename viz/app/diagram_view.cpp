#include "app/diagram_view.h"

#include <QFontMetricsF>
#include <QGraphicsScene>
#include <QImage>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>
#include <QSvgGenerator>
#include <QWheelEvent>
#include <cmath>

#include "app/diagram_items.h"
#include "app/style.h"

namespace viz {
namespace {

constexpr int kMaxImageSide = 16384;  // QImage and most viewers cope with this, not more
constexpr int kFitIterations = 24;

}  // namespace

DiagramView::DiagramView(QWidget* parent) : QGraphicsView(parent) {
  setScene(new QGraphicsScene(this));
  setDragMode(QGraphicsView::ScrollHandDrag);
  setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing);
  setAlignment(Qt::AlignLeft | Qt::AlignTop);
  setBackgroundBrush(Qt::white);
  setViewportUpdateMode(QGraphicsView::BoundingRectViewportUpdate);
  setObjectName(QStringLiteral("diagram"));
  const QFontMetricsF metrics(style::labelFont());
  options_.text_width = [metrics](std::string_view s) {
    return metrics.horizontalAdvance(QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size())));
  };
  options_.time_column_px = 64;
  options_.marker_column_px = 170;
  options_.min_band_px = 340;
}

LayoutOptions DiagramView::optionsFor(double px_per_ms) const {
  LayoutOptions o = options_;
  o.px_per_ms = px_per_ms;
  o.width_px = std::max(400, viewport()->width() - 2);
  return o;
}

void DiagramView::setTimeline(const Timeline* timeline, const Playback* playback) {
  timeline_ = timeline;
  playback_ = playback;
  selected_ = {};
  marked_.clear();
  options_.shown_lanes.clear();  // lanes are the new trace's
  options_.focus_peer.clear();
  rebuild();
}

void DiagramView::rebuild() {
  scene()->clear();
  arrows_.clear();
  arrow_labels_.clear();
  fate_labels_.clear();
  marker_labels_.clear();
  markers_.clear();
  cursor_ = nullptr;
  if (timeline_ == nullptr) {
    layout_ = {};
    scene()->setSceneRect(QRectF());
    return;
  }
  options_.width_px = std::max(400, viewport()->width() - 2);
  layout_ = layoutTimeline(*timeline_, options_);
  scene()->addItem(new BackgroundItem(*timeline_, layout_));
  for (std::size_t i = 0; i < timeline_->datagrams.size(); ++i) {
    const DatagramItem& d = timeline_->datagrams[i];
    const DatagramGeometry& g = layout_.datagrams[i];
    if (!g.shown) {  // a hidden lane's: keep the vectors indexed like the timeline
      arrows_.push_back(nullptr);
      arrow_labels_.push_back(nullptr);
      fate_labels_.push_back(nullptr);
      continue;
    }
    const ItemRef ref{ItemRef::Type::Datagram, static_cast<int>(i)};
    const style::ArrowKind kind = style::arrowKind(d, *timeline_);
    auto* arrow = new ArrowItem(g, kind, d.fate == Fate::Dropped, d.truncated_to_bytes.has_value(),
                                d.corrupted_bits > 0);
    setItemRef(arrow, ref);
    const QString tip = QString::fromStdString(d.label());
    arrow->setToolTip(tip);
    scene()->addItem(arrow);
    arrows_.push_back(arrow);
    auto* label = new LabelItem(g.label, style::arrowColor(kind).darker(125), options_.line_px);
    setItemRef(label, ref);
    label->setToolTip(tip);
    scene()->addItem(label);
    arrow_labels_.push_back(label);
    LabelItem* fate = nullptr;
    if (!g.fate_label.empty()) {
      fate = new LabelItem(g.fate_label, style::arrowColor(style::ArrowKind::Lost), options_.line_px);
      setItemRef(fate, ref);
      scene()->addItem(fate);
    }
    fate_labels_.push_back(fate);
  }
  for (std::size_t i = 0; i < timeline_->markers.size(); ++i) {
    const MarkerItem& m = timeline_->markers[i];
    const MarkerGeometry& g = layout_.markers[i];
    if (!g.shown) {
      markers_.push_back(nullptr);
      marker_labels_.push_back(nullptr);
      continue;
    }
    const ItemRef ref{ItemRef::Type::Marker, static_cast<int>(i)};
    auto* glyph = new MarkerGlyphItem(m.kind, QPointF(g.x, g.y));
    auto* label = new LabelItem(g.label, style::markerColor(m.kind).darker(115), options_.line_px);
    for (QGraphicsItem* item : {static_cast<QGraphicsItem*>(glyph), static_cast<QGraphicsItem*>(label)}) {
      setItemRef(item, ref);
      item->setToolTip(QString::fromStdString(m.text));
      scene()->addItem(item);
    }
    markers_.push_back(glyph);
    marker_labels_.push_back(label);
  }
  for (int i : marked_) {
    if (i < 0 || static_cast<std::size_t>(i) >= layout_.datagrams.size()) continue;
    const DatagramGeometry& g = layout_.datagrams[static_cast<std::size_t>(i)];
    if (!g.shown) continue;
    auto* band = scene()->addLine(QLineF(g.x1, g.y1, g.x2, g.y2),
                                  QPen(style::kDifferenceColor, 10, Qt::SolidLine, Qt::RoundCap));
    band->setZValue(0.5);  // over the background, under the arrows
    setItemRef(band, {ItemRef::Type::Datagram, i});
  }
  cursor_ = new CursorItem(layout_.width);
  scene()->addItem(cursor_);
  scene()->setSceneRect(0, 0, layout_.width, layout_.height);
  applyHighlight(true);
  updatePlayback();
}

void DiagramView::updatePlayback() {
  if (timeline_ == nullptr || playback_ == nullptr) return;
  const bool at_end = playback_->atEnd();
  const double cursor_y = playback_->cursor() < 0 ? 0 : layout_.yForTime(playback_->cursorTime());
  for (std::size_t i = 0; i < arrows_.size(); ++i) {
    if (arrows_[i] == nullptr) continue;
    const Reveal r = playback_->datagram(static_cast<int>(i));
    const bool visible = r != Reveal::Hidden;
    arrows_[i]->setVisible(visible);
    arrows_[i]->setProgress(r, cursor_y);
    arrow_labels_[i]->setVisible(visible);
    if (fate_labels_[i]) fate_labels_[i]->setVisible(r == Reveal::Complete);
  }
  for (std::size_t i = 0; i < markers_.size(); ++i) {
    if (markers_[i] == nullptr) continue;
    const bool visible = playback_->marker(static_cast<int>(i));
    markers_[i]->setVisible(visible);
    marker_labels_[i]->setVisible(visible);
  }
  cursor_->setVisible(!at_end);
  if (!at_end) {
    cursor_->setCursor(cursor_y, QStringLiteral("step %1 / %2  ·  %3")
                                     .arg(playback_->cursor() + 1)
                                     .arg(playback_->stepCount())
                                     .arg(QString::fromStdString(formatMs(playback_->cursorTime()))));
    ensureVisible(QRectF(0, cursor_y - 40, 10, 80), 0, 40);
  }
}

void DiagramView::applyHighlight(bool on) {
  if (selected_.type == ItemRef::Type::Datagram &&
      selected_.index < static_cast<int>(arrows_.size())) {
    const auto i = static_cast<std::size_t>(selected_.index);
    if (arrows_[i] == nullptr) return;
    arrows_[i]->setHighlighted(on);
    arrow_labels_[i]->setHighlighted(on);
  }
  if (selected_.type == ItemRef::Type::Marker &&
      selected_.index < static_cast<int>(markers_.size())) {
    const auto i = static_cast<std::size_t>(selected_.index);
    if (markers_[i] == nullptr) return;
    markers_[i]->setHighlighted(on);
    marker_labels_[i]->setHighlighted(on);
  }
}

void DiagramView::setSelectedItem(const ItemRef& ref) {
  applyHighlight(false);
  selected_ = ref;
  applyHighlight(true);
  // Scroll to where the item starts (its sender's lane and label): in a wide diagram of many
  // clients the middle of a long arrow says little.
  QPointF at = itemScenePos(ref);
  if (ref.type == ItemRef::Type::Datagram && ref.index < static_cast<int>(layout_.datagrams.size()))
    at = QPointF(layout_.datagrams[static_cast<std::size_t>(ref.index)].x1,
                 layout_.datagrams[static_cast<std::size_t>(ref.index)].y1);
  if (ref.type != ItemRef::Type::None) ensureVisible(QRectF(at, QSizeF(1, 1)), 120, 80);
}

QPointF DiagramView::itemScenePos(const ItemRef& ref) const {
  if (ref.type == ItemRef::Type::Datagram && ref.index < static_cast<int>(layout_.datagrams.size())) {
    const DatagramGeometry& g = layout_.datagrams[static_cast<std::size_t>(ref.index)];
    return {(g.x1 + g.x2) / 2, (g.y1 + g.y2) / 2};
  }
  if (ref.type == ItemRef::Type::Marker && ref.index < static_cast<int>(layout_.markers.size())) {
    const MarkerGeometry& g = layout_.markers[static_cast<std::size_t>(ref.index)];
    return {g.x, g.y};
  }
  return {};
}

void DiagramView::zoomBy(double factor, std::optional<QPoint> anchor) {
  if (timeline_ == nullptr) return;
  const QPoint at = anchor.value_or(viewport()->rect().center());
  const double scene_y = mapToScene(at).y();
  const std::uint64_t time_us = layout_.timeForY(scene_y);
  options_.px_per_ms = std::clamp(options_.px_per_ms * factor, kMinPxPerMs, kMaxPxPerMs);
  rebuild();
  // Keep the time that was under the anchor under it.
  const double new_y = layout_.yForTime(time_us);
  verticalScrollBar()->setValue(static_cast<int>(std::lround(new_y - at.y())));
  emit zoomChanged(options_.px_per_ms);
}

void DiagramView::fit() {
  if (timeline_ == nullptr) return;
  const double available = viewport()->height() - 2;
  double lo = kMinPxPerMs, hi = kMaxPxPerMs;
  if (layoutTimeline(*timeline_, optionsFor(lo)).height > available) {
    hi = lo;
  } else {
    // Height grows with the scale: bisect (geometrically) for the largest that fits.
    for (int i = 0; i < kFitIterations; ++i) {
      const double mid = std::sqrt(lo * hi);
      (layoutTimeline(*timeline_, optionsFor(mid)).height <= available ? lo : hi) = mid;
    }
  }
  options_.px_per_ms = lo;
  rebuild();
  verticalScrollBar()->setValue(0);
  emit zoomChanged(options_.px_per_ms);
}

void DiagramView::setShownLanes(std::vector<bool> shown, std::string focus_peer) {
  options_.shown_lanes = std::move(shown);
  options_.focus_peer = std::move(focus_peer);
  rebuild();
}

int DiagramView::shownArrowCount() const {
  int n = 0;
  for (const ArrowItem* a : arrows_) n += a != nullptr;
  return n;
}

void DiagramView::setCompressGaps(bool on) {
  options_.compress_gaps = on;
  rebuild();
}

void DiagramView::wheelEvent(QWheelEvent* event) {
  // The wheel zooms (the choice); Shift+wheel scrolls, as everywhere else.
  if (event->modifiers() & Qt::ShiftModifier) {
    QGraphicsView::wheelEvent(event);
    return;
  }
  const double steps = event->angleDelta().y() / 120.0;
  if (steps == 0) return;
  zoomBy(std::pow(1.25, steps), event->position().toPoint());
  event->accept();
}

void DiagramView::mousePressEvent(QMouseEvent* event) {
  if (event->button() == Qt::LeftButton) {
    for (QGraphicsItem* item : items(event->position().toPoint())) {
      const ItemRef ref = itemRefOf(item);
      if (ref.type == ItemRef::Type::None || !item->isVisible()) continue;
      setSelectedItem(ref);
      emit itemClicked(ref);
      event->accept();
      return;
    }
  }
  QGraphicsView::mousePressEvent(event);  // the background: drag to pan
}

void DiagramView::setMarkedDatagrams(std::vector<int> indices) {
  marked_ = std::move(indices);
  rebuild();
}

int DiagramView::laneAtHeader(QPointF scene) const {
  constexpr double kHeaderBottom = 36;  // BackgroundItem draws headers from y = 2 to 34
  if (timeline_ == nullptr || scene.y() < 0 || scene.y() > kHeaderBottom) return -1;
  const double half = std::max(12.0, std::min(80.0, layout_.lane_column_px / 2));
  for (std::size_t i = 0; i < layout_.lane_x.size(); ++i) {
    if (i < layout_.lane_shown.size() && !layout_.lane_shown[i]) continue;
    if (std::abs(scene.x() - layout_.lane_x[i]) <= half) return static_cast<int>(i);
  }
  return -1;
}

void DiagramView::mouseDoubleClickEvent(QMouseEvent* event) {
  const int lane = laneAtHeader(mapToScene(event->position().toPoint()));
  if (event->button() == Qt::LeftButton && lane >= 0) {
    emit laneActivated(lane);
    event->accept();
    return;
  }
  QGraphicsView::mouseDoubleClickEvent(event);
}

void DiagramView::resizeEvent(QResizeEvent* event) {
  QGraphicsView::resizeEvent(event);
  // The band takes the width there is: relayout when it changed noticeably.
  if (timeline_ != nullptr && std::abs(options_.width_px - (viewport()->width() - 2)) > 8) {
    const int scroll = verticalScrollBar()->value();
    rebuild();
    verticalScrollBar()->setValue(scroll);
  }
}

bool DiagramView::exportPng(const QString& path, QString* error) const {
  const QRectF source = scene()->sceneRect();
  if (source.isEmpty()) {
    *error = QStringLiteral("nothing to export: no trace is open");
    return false;
  }
  const double scale = std::min(1.0, kMaxImageSide / std::max(source.width(), source.height()));
  QImage image((source.size() * scale).toSize(), QImage::Format_ARGB32_Premultiplied);
  image.fill(Qt::white);
  {
    QPainter p(&image);
    p.setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing);
    scene()->render(&p, QRectF(image.rect()), source);
  }
  if (!image.save(path, "PNG")) {
    *error = path + QStringLiteral(": cannot write PNG");
    return false;
  }
  return true;
}

bool DiagramView::exportSvg(const QString& path, QString* error) const {
  const QRectF source = scene()->sceneRect();
  if (source.isEmpty()) {
    *error = QStringLiteral("nothing to export: no trace is open");
    return false;
  }
  QSvgGenerator svg;
  svg.setFileName(path);
  svg.setSize(source.size().toSize());
  svg.setViewBox(QRectF(QPointF(0, 0), source.size()));
  svg.setTitle(QStringLiteral("dtlsim-viz sequence diagram"));
  QPainter p;
  if (!p.begin(&svg)) {
    *error = path + QStringLiteral(": cannot write SVG");
    return false;
  }
  scene()->render(&p, QRectF(QPointF(0, 0), source.size()), source);
  p.end();
  return true;
}

}  // namespace viz
