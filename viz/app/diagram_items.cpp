#include "app/diagram_items.h"

#include <QFontMetrics>
#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPathStroker>

namespace viz {

void setItemRef(QGraphicsItem* item, const ItemRef& ref) {
  item->setData(kRefTypeKey, static_cast<int>(ref.type));
  item->setData(kRefIndexKey, ref.index);
}

ItemRef itemRefOf(const QGraphicsItem* item) {
  if (item == nullptr || !item->data(kRefTypeKey).isValid()) return {};
  return {static_cast<ItemRef::Type>(item->data(kRefTypeKey).toInt()),
          item->data(kRefIndexKey).toInt()};
}

// ---- ArrowItem ------------------------------------------------------------------------------

ArrowItem::ArrowItem(const DatagramGeometry& g, style::ArrowKind kind, bool lost, bool truncated,
                     bool corrupted)
    : g_(g), kind_(kind), lost_(lost), truncated_(truncated), corrupted_(corrupted) {
  setZValue(kZArrow);
  setAcceptHoverEvents(false);
}

QRectF ArrowItem::boundingRect() const {
  return QRectF(QPointF(g_.x1, g_.y1), QPointF(g_.x2, g_.y2)).normalized().adjusted(-12, -12, 12, 12);
}

QPainterPath ArrowItem::shape() const {
  QPainterPath line(QPointF(g_.x1, g_.y1));
  line.lineTo(g_.x2, g_.y2);
  QPainterPathStroker stroker;
  stroker.setWidth(9);  // easy to click, not so wide it steals a neighbour's clicks
  return stroker.createStroke(line);
}

QPointF ArrowItem::end() const {
  if (reveal_ != Reveal::InFlight || g_.y2 <= g_.y1) return {g_.x2, g_.y2};
  const double f = std::clamp((cursor_y_ - g_.y1) / (g_.y2 - g_.y1), 0.04, 1.0);
  return {g_.x1 + f * (g_.x2 - g_.x1), g_.y1 + f * (g_.y2 - g_.y1)};
}

void ArrowItem::paint(QPainter* p, const QStyleOptionGraphicsItem*, QWidget*) {
  p->setRenderHint(QPainter::Antialiasing);
  const QPointF from(g_.x1, g_.y1), to = end();
  const QColor color = style::arrowColor(kind_);
  if (highlighted_) {
    p->setPen(QPen(style::kSelectionColor, 8, Qt::SolidLine, Qt::RoundCap));
    p->drawLine(from, to);
  }
  p->setPen(style::arrowPen(kind_, highlighted_));
  p->drawLine(from, to);
  if (reveal_ == Reveal::InFlight) {
    p->setPen(Qt::NoPen);
    p->setBrush(color);
    p->drawEllipse(to, 3.5, 3.5);  // the datagram, on its way
    return;
  }
  if (lost_) {
    style::drawCross(p, to, color);
  } else if (kind_ != style::ArrowKind::InFlight) {
    style::drawArrowHead(p, from, to, color);
  }
  const QPointF mid = (from + to) / 2;
  if (truncated_) {  // a bar across the line near the head: the datagram was cut short
    const QPointF at = from + (to - from) * 0.8;
    p->setPen(QPen(color, 2.5));
    p->drawLine(at + QPointF(0, -6), at + QPointF(0, 6));
  }
  if (corrupted_) {  // a zigzag across the middle: bits were flipped in flight
    p->setPen(QPen(color, 2));
    QPainterPath zig(mid + QPointF(-8, -4));
    zig.lineTo(mid + QPointF(-3, 4));
    zig.lineTo(mid + QPointF(2, -4));
    zig.lineTo(mid + QPointF(7, 4));
    p->setBrush(Qt::NoBrush);
    p->drawPath(zig);
  }
}

void ArrowItem::setHighlighted(bool on) {
  if (on == highlighted_) return;
  highlighted_ = on;
  update();
}

void ArrowItem::setProgress(Reveal reveal, double cursor_y) {
  if (reveal == reveal_ && cursor_y == cursor_y_) return;
  prepareGeometryChange();
  reveal_ = reveal;
  cursor_y_ = cursor_y;
  update();
}

// ---- LabelItem ------------------------------------------------------------------------------

LabelItem::LabelItem(const LabelBox& box, QColor color, double line_px, bool bold_first)
    : box_(box), color_(color), line_px_(line_px), bold_first_(bold_first) {
  setZValue(kZLabel);
}

QRectF LabelItem::boundingRect() const {
  return QRectF(box_.x - 3, box_.y, box_.width + 6, box_.height);
}

void LabelItem::paint(QPainter* p, const QStyleOptionGraphicsItem*, QWidget*) {
  const QRectF r = boundingRect();
  p->setPen(Qt::NoPen);
  p->setBrush(highlighted_ ? style::kSelectionColor : QColor(255, 255, 255, 215));
  p->drawRoundedRect(r.adjusted(0, 1, 0, 0), 3, 3);
  QFont font = style::labelFont();
  for (std::size_t i = 0; i < box_.lines.size(); ++i) {
    font.setBold(bold_first_ && i == 0);
    p->setFont(font);
    p->setPen(color_);
    const QString text = QString::fromStdString(box_.lines[i]);
    const QRectF line(box_.x - 2, box_.y + static_cast<double>(i) * line_px_, box_.width + 4, line_px_);
    p->drawText(line, Qt::AlignVCenter | (box_.right_aligned ? Qt::AlignRight : Qt::AlignLeft), text);
  }
}

void LabelItem::setHighlighted(bool on) {
  if (on == highlighted_) return;
  highlighted_ = on;
  update();
}

// ---- MarkerGlyphItem ------------------------------------------------------------------------

MarkerGlyphItem::MarkerGlyphItem(MarkerKind kind, QPointF centre) : kind_(kind), centre_(centre) {
  setZValue(kZMarker);
}

QRectF MarkerGlyphItem::boundingRect() const {
  return QRectF(centre_ - QPointF(10, 10), QSizeF(20, 20));
}

void MarkerGlyphItem::paint(QPainter* p, const QStyleOptionGraphicsItem*, QWidget*) {
  p->setRenderHint(QPainter::Antialiasing);
  style::drawMarkerGlyph(p, kind_, centre_, highlighted_);
}

void MarkerGlyphItem::setHighlighted(bool on) {
  if (on == highlighted_) return;
  highlighted_ = on;
  update();
}

// ---- BackgroundItem -------------------------------------------------------------------------

BackgroundItem::BackgroundItem(const Timeline& t, const Layout& l) : timeline_(t), layout_(l) {
  setZValue(0);
}

QRectF BackgroundItem::boundingRect() const { return QRectF(0, 0, layout_.width, layout_.height); }

void BackgroundItem::paint(QPainter* p, const QStyleOptionGraphicsItem*, QWidget*) {
  const double top = 34;
  p->fillRect(boundingRect(), Qt::white);
  p->fillRect(QRectF(layout_.band_left, top, layout_.band_right - layout_.band_left,
                     layout_.height - top), style::kBandColor);
  paintTicks(p);
  p->setPen(QPen(style::kLaneColor, 2));
  for (double x : layout_.lane_x) p->drawLine(QPointF(x, top), QPointF(x, layout_.height));
  paintBreaks(p);
  paintHeaders(p);
}

void BackgroundItem::paintHeaders(QPainter* p) const {
  QFont bold = style::labelFont();
  bold.setBold(true);
  QFont small = style::labelFont();
  small.setPixelSize(10);
  // As wide as the lane's column allows (many clients make it narrow), texts elided to fit.
  const double width = std::min(160.0, std::max(24.0, layout_.lane_column_px - 4));
  const QFontMetrics bold_metrics(bold), small_metrics(small);
  for (std::size_t i = 0; i < timeline_.lanes.size(); ++i) {
    if (i < layout_.lane_shown.size() && !layout_.lane_shown[i]) continue;
    const Lane& lane = timeline_.lanes[i];
    const QRectF box(layout_.lane_x[i] - width / 2, 2, width, 32);
    p->setPen(QPen(style::kLaneColor, 1));
    p->setBrush(QColor(236, 239, 243));
    p->drawRoundedRect(box, 4, 4);
    p->setPen(style::kTextColor);
    p->setFont(bold);
    const int text_px = static_cast<int>(width) - 4;
    p->drawText(box.adjusted(0, 1, 0, -15), Qt::AlignCenter,
                bold_metrics.elidedText(QString::fromStdString(lane.name), Qt::ElideMiddle, text_px));
    p->setFont(small);
    p->setPen(style::kMutedTextColor);
    // The stack under the endpoint when the trace names it ("OpenSSL 3.0.22"), else its role.
    const char* role = lane.role == LaneRole::Client   ? "client"
                       : lane.role == LaneRole::Server ? "server"
                                                       : "endpoint";
    const QString what = lane.library.empty() ? QString::fromLatin1(role)
                                              : QString::fromStdString(lane.library);
    const QString line = what + (lane.address.empty() ? QString()
                                                      : QStringLiteral("  ") +
                                                            QString::fromStdString(lane.address));
    p->drawText(box.adjusted(0, 16, 0, 0), Qt::AlignCenter,
                small_metrics.elidedText(line, Qt::ElideRight, text_px));
  }
  p->setFont(small);
  p->setPen(style::kMutedTextColor);
  p->drawText(QRectF(layout_.band_left, 10, layout_.band_right - layout_.band_left, 20),
              Qt::AlignCenter, QStringLiteral("network"));
  p->drawText(QRectF(2, 10, 70, 20), Qt::AlignLeft | Qt::AlignVCenter, QStringLiteral("time (ms)"));
}

void BackgroundItem::paintTicks(QPainter* p) const {
  QFont font = style::labelFont();
  font.setPixelSize(10);
  p->setFont(font);
  for (const Tick& t : layout_.ticks) {
    if (!t.labelled) continue;
    p->setPen(QPen(style::kGridColor, 1));
    p->drawLine(QPointF(62, t.y), QPointF(layout_.width, t.y));
    p->setPen(style::kMutedTextColor);
    const QString ms = QString::fromStdString(formatMs(t.time_us)).chopped(3);
    p->drawText(QRectF(0, t.y - 8, 58, 16), Qt::AlignRight | Qt::AlignVCenter, ms);
  }
}

void BackgroundItem::paintBreaks(QPainter* p) const {
  QFont font = style::labelFont();
  font.setPixelSize(11);
  font.setItalic(true);
  p->setFont(font);
  for (const BreakGeometry& b : layout_.breaks) {
    const QRectF r(0, b.y_top, layout_.width, b.y_bottom - b.y_top);
    p->fillRect(r, QColor(250, 250, 250));
    // Two zigzag edges: the classic "axis break".
    p->setPen(QPen(style::kLaneColor, 1.2));
    for (double y : {b.y_top + 3, b.y_bottom - 3}) {
      QPainterPath zig(QPointF(0, y));
      for (double x = 0; x < layout_.width; x += 12) {
        zig.lineTo(x + 6, y - 3);
        zig.lineTo(x + 12, y + 3);
      }
      p->setRenderHint(QPainter::Antialiasing);
      p->drawPath(zig);
    }
    p->setPen(style::kMutedTextColor);
    const QString text = QStringLiteral("\u22ef  %1 idle (%2 \u2192 %3)  \u22ef")
                             .arg(QString::fromStdString(formatMs(b.to_us - b.from_us)),
                                  QString::fromStdString(formatMs(b.from_us)).chopped(3),
                                  QString::fromStdString(formatMs(b.to_us)));
    p->drawText(QRectF(layout_.band_left, b.y_top, layout_.band_right - layout_.band_left,
                       b.y_bottom - b.y_top), Qt::AlignCenter, text);
  }
}

// ---- CursorItem -----------------------------------------------------------------------------

CursorItem::CursorItem(double width) : width_(width) { setZValue(kZCursor); }

QRectF CursorItem::boundingRect() const { return QRectF(0, -16, width_, 20); }

void CursorItem::paint(QPainter* p, const QStyleOptionGraphicsItem*, QWidget*) {
  p->setPen(QPen(style::kCursorColor, 1.5, Qt::DashLine));
  p->drawLine(QPointF(60, 0), QPointF(width_, 0));
  QFont font = style::labelFont();
  font.setPixelSize(10);
  font.setBold(true);
  p->setFont(font);
  p->setPen(style::kCursorColor);
  p->drawText(QRectF(width_ - 160, -15, 156, 14), Qt::AlignRight | Qt::AlignVCenter, text_);
}

void CursorItem::setCursor(double y, const QString& text) {
  setPos(0, y);
  text_ = text;
  update();
}

}  // namespace viz
