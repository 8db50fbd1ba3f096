#include "app/style.h"

#include <QFontDatabase>
#include <QPainterPath>
#include <QPolygonF>
#include <QtMath>

namespace viz::style {

ArrowKind arrowKind(const DatagramItem& d, const Timeline& t) {
  if (d.fate == Fate::Dropped) return ArrowKind::Lost;
  if (d.corrupted_bits) return ArrowKind::Corrupted;
  if (d.truncated_to_bytes) return ArrowKind::Truncated;
  if (d.duplicate) return ArrowKind::Duplicate;
  if (d.reordered) return ArrowKind::Reordered;
  if (d.retransmission) return ArrowKind::Retransmission;
  if (d.fate == Fate::InFlight) return ArrowKind::InFlight;
  const bool from_server =
      d.from_lane >= 0 && t.lanes[static_cast<std::size_t>(d.from_lane)].role == LaneRole::Server;
  return from_server ? ArrowKind::ServerToClient : ArrowKind::ClientToServer;
}

QColor arrowColor(ArrowKind kind) {
  switch (kind) {
    case ArrowKind::ClientToServer: return {21, 101, 192};
    case ArrowKind::ServerToClient: return {46, 125, 50};
    case ArrowKind::Retransmission: return {239, 108, 0};
    case ArrowKind::Lost: return {211, 47, 47};
    case ArrowKind::Duplicate: return {142, 36, 170};
    case ArrowKind::Reordered: return {0, 131, 143};
    case ArrowKind::Corrupted: return {121, 85, 72};
    case ArrowKind::Truncated: return {69, 90, 100};
    case ArrowKind::InFlight: return {150, 150, 150};
  }
  return Qt::black;
}

QPen arrowPen(ArrowKind kind, bool selected) {
  QPen pen(arrowColor(kind), selected ? 3.0 : 1.6);
  switch (kind) {
    case ArrowKind::Lost: pen.setStyle(Qt::DashLine); break;
    case ArrowKind::Duplicate: pen.setStyle(Qt::DashDotLine); break;
    case ArrowKind::Reordered: pen.setStyle(Qt::DotLine); pen.setWidthF(pen.widthF() + 0.6); break;
    case ArrowKind::InFlight: pen.setStyle(Qt::DotLine); break;
    default: break;
  }
  pen.setCapStyle(Qt::FlatCap);
  return pen;
}

QString arrowName(ArrowKind kind) {
  switch (kind) {
    case ArrowKind::ClientToServer: return QStringLiteral("client \u2192 server");
    case ArrowKind::ServerToClient: return QStringLiteral("server \u2192 client");
    case ArrowKind::Retransmission: return QStringLiteral("retransmission");
    case ArrowKind::Lost: return QStringLiteral("lost \u2715");
    case ArrowKind::Duplicate: return QStringLiteral("network copy");
    case ArrowKind::Reordered: return QStringLiteral("reordered");
    case ArrowKind::Corrupted: return QStringLiteral("corrupted \u26a1");
    case ArrowKind::Truncated: return QStringLiteral("truncated \u2702");
    case ArrowKind::InFlight: return QStringLiteral("in flight at end");
  }
  return {};
}

QColor markerColor(MarkerKind kind) {
  switch (kind) {
    case MarkerKind::State: return {66, 66, 66};
    case MarkerKind::Timer: return {239, 108, 0};
    case MarkerKind::Retransmit: return {239, 108, 0};
    case MarkerKind::Alert: return {211, 47, 47};
    case MarkerKind::Error: return {183, 28, 28};
    case MarkerKind::AppSend:
    case MarkerKind::AppReceive: return {46, 125, 50};
    case MarkerKind::Cookie: return {21, 101, 192};
    case MarkerKind::Action:
    case MarkerKind::Note: return {120, 120, 120};
    case MarkerKind::Violation: return {142, 36, 170};
  }
  return Qt::black;
}

QString markerName(MarkerKind kind) {
  switch (kind) {
    case MarkerKind::State: return QStringLiteral("state");
    case MarkerKind::Timer: return QStringLiteral("timer expired");
    case MarkerKind::Retransmit: return QStringLiteral("retransmit");
    case MarkerKind::Alert: return QStringLiteral("alert");
    case MarkerKind::Error: return QStringLiteral("error");
    case MarkerKind::AppSend: return QStringLiteral("app send");
    case MarkerKind::AppReceive: return QStringLiteral("app receive");
    case MarkerKind::Cookie: return QStringLiteral("cookie");
    case MarkerKind::Action: return QStringLiteral("action");
    case MarkerKind::Note: return QStringLiteral("note");
    case MarkerKind::Violation: return QStringLiteral("RFC / liveness violation");
  }
  return {};
}

void drawMarkerGlyph(QPainter* p, MarkerKind kind, QPointF c, bool selected) {
  const QColor color = markerColor(kind);
  p->save();
  if (selected) {
    p->setPen(Qt::NoPen);
    p->setBrush(kSelectionColor);
    p->drawEllipse(c, 9, 9);
  }
  p->setPen(QPen(color, 1.5));
  p->setBrush(Qt::white);
  constexpr double r = 5;
  switch (kind) {
    case MarkerKind::State:
      p->drawEllipse(c, r, r);
      break;
    case MarkerKind::Timer: {  // a filled diamond: the timer fired
      p->setBrush(color);
      const QPolygonF diamond({c + QPointF(0, -r - 1), c + QPointF(r + 1, 0), c + QPointF(0, r + 1),
                               c + QPointF(-r - 1, 0)});
      p->drawPolygon(diamond);
      break;
    }
    case MarkerKind::Retransmit: {  // a triangle pointing down: a flight goes out again
      p->setBrush(color);
      p->drawPolygon(QPolygonF({c + QPointF(-r, -r), c + QPointF(r, -r), c + QPointF(0, r)}));
      break;
    }
    case MarkerKind::Alert:
      p->setBrush(color);
      p->drawRect(QRectF(c.x() - r, c.y() - r, 2 * r, 2 * r));
      break;
    case MarkerKind::Error:
      p->setBrush(color);
      p->drawEllipse(c, r + 1, r + 1);
      p->setPen(QPen(Qt::white, 2));
      p->drawLine(c + QPointF(0, -3.5), c + QPointF(0, 1));
      p->drawPoint(c + QPointF(0, 3.5));
      break;
    case MarkerKind::AppSend:
    case MarkerKind::AppReceive:
      p->setBrush(kind == MarkerKind::AppReceive ? color : QColor(Qt::white));
      p->drawRect(QRectF(c.x() - r + 1, c.y() - r + 1, 2 * r - 2, 2 * r - 2));
      break;
    case MarkerKind::Cookie:
      p->setBrush(color);
      p->drawEllipse(c, r - 1, r - 1);
      break;
    case MarkerKind::Action:
    case MarkerKind::Note:
      p->drawLine(c + QPointF(-r, 0), c + QPointF(r, 0));
      break;
    case MarkerKind::Violation:  // a filled disc with a white cross: a rule was broken
      p->setBrush(color);
      p->drawEllipse(c, r + 2, r + 2);
      p->setPen(QPen(Qt::white, 2, Qt::SolidLine, Qt::RoundCap));
      p->drawLine(c + QPointF(-3, -3), c + QPointF(3, 3));
      p->drawLine(c + QPointF(-3, 3), c + QPointF(3, -3));
      break;
  }
  p->restore();
}

void drawArrowHead(QPainter* p, QPointF from, QPointF to, const QColor& color) {
  const double angle = std::atan2(to.y() - from.y(), to.x() - from.x());
  constexpr double kLength = 9, kSpread = 0.42;
  const QPointF a = to - QPointF(kLength * std::cos(angle - kSpread), kLength * std::sin(angle - kSpread));
  const QPointF b = to - QPointF(kLength * std::cos(angle + kSpread), kLength * std::sin(angle + kSpread));
  p->save();
  p->setPen(Qt::NoPen);
  p->setBrush(color);
  p->drawPolygon(QPolygonF({to, a, b}));
  p->restore();
}

void drawCross(QPainter* p, QPointF c, const QColor& color) {
  p->save();
  p->setPen(QPen(color, 3, Qt::SolidLine, Qt::RoundCap));
  constexpr double r = 6;
  p->drawLine(c + QPointF(-r, -r), c + QPointF(r, r));
  p->drawLine(c + QPointF(-r, r), c + QPointF(r, -r));
  p->restore();
}

QFont labelFont() {
  QFont f(QStringLiteral("DejaVu Sans"));
  f.setPixelSize(12);
  return f;
}

QFont monoFont() {
  QFont f = QFontDatabase::systemFont(QFontDatabase::FixedFont);
  f.setFamily(QStringLiteral("DejaVu Sans Mono"));
  f.setPixelSize(11);
  return f;
}

}  // namespace viz::style
