#include "app/legend.h"

#include <QFontMetrics>
#include <QPainter>

#include "app/style.h"

namespace viz {
namespace {

constexpr int kRowPx = 18, kSamplePx = 30, kGapPx = 14;

using style::ArrowKind;
constexpr ArrowKind kArrows[] = {ArrowKind::ClientToServer, ArrowKind::ServerToClient,
                                 ArrowKind::Retransmission, ArrowKind::Lost,
                                 ArrowKind::Duplicate,      ArrowKind::Reordered,
                                 ArrowKind::Corrupted,      ArrowKind::Truncated,
                                 ArrowKind::InFlight};
constexpr MarkerKind kMarkers[] = {MarkerKind::State,   MarkerKind::Timer,      MarkerKind::Retransmit,
                                   MarkerKind::Alert,   MarkerKind::Error,      MarkerKind::AppSend,
                                   MarkerKind::AppReceive, MarkerKind::Cookie, MarkerKind::Violation};

}  // namespace

Legend::Legend(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("legend"));
  setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
  setFont(style::labelFont());
}

QSize Legend::sizeHint() const { return {600, heightForWidth(600)}; }

int Legend::heightForWidth(int width) const { return layoutEntries(width, nullptr); }

void Legend::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.setRenderHint(QPainter::Antialiasing);
  p.fillRect(rect(), Qt::white);
  layoutEntries(width(), &p);
}

int Legend::layoutEntries(int width, QPainter* p) const {
  const QFontMetrics metrics(font());
  int x = 6, y = 3;
  auto place = [&](const QString& text) {
    const int w = kSamplePx + 6 + metrics.horizontalAdvance(text) + kGapPx;
    if (x + w > width && x > 6) {
      x = 6;
      y += kRowPx;
    }
    const QRect sample(x, y, kSamplePx, kRowPx);
    if (p) {
      p->setPen(style::kTextColor);
      p->drawText(QRect(x + kSamplePx + 6, y, w, kRowPx), Qt::AlignVCenter | Qt::AlignLeft, text);
    }
    x += w;
    return sample;
  };
  for (ArrowKind kind : kArrows) {
    const QRect r = place(style::arrowName(kind));
    if (!p) continue;
    const QPointF from(r.left(), r.center().y() + 0.5), to(r.right() - 2, r.center().y() + 0.5);
    p->setPen(style::arrowPen(kind, false));
    p->drawLine(from, to);
    if (kind == ArrowKind::Lost) style::drawCross(p, to, style::arrowColor(kind));
    else if (kind != ArrowKind::InFlight) style::drawArrowHead(p, from, to, style::arrowColor(kind));
  }
  for (MarkerKind kind : kMarkers) {
    const QRect r = place(style::markerName(kind));
    if (p) style::drawMarkerGlyph(p, kind, QPointF(r.center().x() + 0.5, r.center().y() + 0.5), false);
  }
  return y + kRowPx + 3;
}

}  // namespace viz
