// viz/app/legend.h — what each colour, line style and glyph of the diagram means, drawn with
// the diagram's own painters (style.h) so it cannot drift from them. Entries flow into as many
// rows as the width needs.
#pragma once

#include <QWidget>

namespace viz {

class Legend : public QWidget {
  Q_OBJECT

 public:
  explicit Legend(QWidget* parent = nullptr);
  QSize sizeHint() const override;
  bool hasHeightForWidth() const override { return true; }
  int heightForWidth(int width) const override;

 protected:
  void paintEvent(QPaintEvent* event) override;

 private:
  // Lays the entries out for `width`; paints them when `p` is not null. Returns the height.
  int layoutEntries(int width, QPainter* p) const;
};

}  // namespace viz
