// viz/app/style.h — colours, pens and glyphs of the diagram, in one place so the diagram, its
// exports and the legend always agree.
#pragma once

#include <QColor>
#include <QFont>
#include <QPainter>
#include <QPen>
#include <QString>

#include "model/timeline.h"

namespace viz::style {

// What decides a datagram's look, most important first: lost, corrupted, truncated, network
// copy, reordered, retransmission, then the direction.
enum class ArrowKind {
  ClientToServer,
  ServerToClient,
  Retransmission,
  Lost,
  Duplicate,
  Reordered,
  Corrupted,
  Truncated,
  InFlight,
};

ArrowKind arrowKind(const DatagramItem& d, const Timeline& t);
QColor arrowColor(ArrowKind kind);
QPen arrowPen(ArrowKind kind, bool selected);
QString arrowName(ArrowKind kind);  // legend text

QColor markerColor(MarkerKind kind);
QString markerName(MarkerKind kind);  // legend text
// Draws the marker's glyph centred on `centre` (radius ~5 px).
void drawMarkerGlyph(QPainter* p, MarkerKind kind, QPointF centre, bool selected);
// Draws the end of an arrow: a head for a delivery, a cross for a loss, a bar for truncation.
void drawArrowHead(QPainter* p, QPointF from, QPointF to, const QColor& color);
void drawCross(QPainter* p, QPointF centre, const QColor& color);

QFont labelFont();
QFont monoFont();

inline const QColor kBandColor{245, 247, 250};
inline const QColor kLaneColor{120, 130, 140};
inline const QColor kGridColor{232, 235, 239};
inline const QColor kTextColor{33, 37, 41};
inline const QColor kMutedTextColor{96, 104, 112};
inline const QColor kSelectionColor{255, 214, 0};
// Behind a datagram that differs between two compared runs (translucent).
inline const QColor kDifferenceColor{233, 30, 99, 70};
inline const QColor kCursorColor{211, 47, 47};

}  // namespace viz::style
