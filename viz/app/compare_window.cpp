#include "app/compare_window.h"

#include <QScrollBar>
#include <QSplitter>
#include <QVBoxLayout>
#include <algorithm>

namespace viz {

CompareWindow::CompareWindow(QWidget* parent)
    : QWidget(parent),
      title_a_(new QLabel(this)),
      title_b_(new QLabel(this)),
      view_a_(new DiagramView(this)),
      view_b_(new DiagramView(this)),
      text_(new QPlainTextEdit(this)) {
  setWindowTitle(tr("dtlsim-viz: compare"));
  resize(kDefaultWidth, kDefaultHeight);
  auto* sides = new QSplitter(Qt::Horizontal, this);
  for (auto [title, view] : {std::pair{title_a_, view_a_}, std::pair{title_b_, view_b_}}) {
    auto* side = new QWidget(sides);
    auto* column = new QVBoxLayout(side);
    column->setContentsMargins(2, 2, 2, 2);
    title->setTextFormat(Qt::PlainText);
    // A long path must not widen the window: the label shows what fits.
    title->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    column->addWidget(title);
    column->addWidget(view, 1);
    sides->addWidget(side);
  }
  text_->setReadOnly(true);
  text_->setLineWrapMode(QPlainTextEdit::NoWrap);
  text_->setObjectName(QStringLiteral("differences"));
  auto* split = new QSplitter(Qt::Vertical, this);
  split->addWidget(sides);
  split->addWidget(text_);
  split->setSizes({kDefaultHeight - 200, 200});
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(split);
  connect(view_a_->verticalScrollBar(), &QScrollBar::valueChanged, this,
          [this] { follow(view_a_, view_b_); });
  connect(view_b_->verticalScrollBar(), &QScrollBar::valueChanged, this,
          [this] { follow(view_b_, view_a_); });
}

void CompareWindow::setRuns(dtlsim::Trace a, const std::string& name_a, dtlsim::Trace b,
                            const std::string& name_b) {
  view_a_->setTimeline(nullptr, nullptr);
  view_b_->setTimeline(nullptr, nullptr);
  trace_a_ = std::move(a);
  trace_b_ = std::move(b);
  timeline_a_ = std::make_unique<Timeline>(buildTimeline(trace_a_));
  timeline_b_ = std::make_unique<Timeline>(buildTimeline(trace_b_));
  playback_a_ = std::make_unique<Playback>(timeline_a_.get());
  playback_b_ = std::make_unique<Playback>(timeline_b_.get());
  comparison_ = compareRuns(trace_a_, *timeline_a_, trace_b_, *timeline_b_);
  summary_ = comparison_.summary(name_a, name_b);
  title_a_->setText(QStringLiteral("A: ") + QString::fromStdString(name_a));
  title_b_->setText(QStringLiteral("B: ") + QString::fromStdString(name_b));
  text_->setPlainText(QString::fromStdString(summary_));
  view_a_->setTimeline(timeline_a_.get(), playback_a_.get());
  view_b_->setTimeline(timeline_b_.get(), playback_b_.get());
  std::vector<int> marked_a, marked_b;
  for (const Difference& d : comparison_.differences) {
    if (d.a >= 0) marked_a.push_back(d.a);
    if (d.b >= 0) marked_b.push_back(d.b);
  }
  view_a_->setMarkedDatagrams(std::move(marked_a));
  view_b_->setMarkedDatagrams(std::move(marked_b));
  fit();
}

void CompareWindow::fit() {
  view_a_->fit();
  view_b_->fit();
  if (!comparison_.differences.empty()) {
    // Where the runs part, selected on both sides.
    const Difference& first = comparison_.differences.front();
    if (first.a >= 0) view_a_->setSelectedItem({ItemRef::Type::Datagram, first.a});
    if (first.b >= 0) view_b_->setSelectedItem({ItemRef::Type::Datagram, first.b});
  }
  follow(view_a_, view_b_);
}

void CompareWindow::follow(DiagramView* from, DiagramView* to) {
  if (following_ || timeline_a_ == nullptr) return;
  following_ = true;
  // The virtual time at the top of `from` goes to the top of `to`.
  const double top = from->mapToScene(QPoint(0, 0)).y();
  const std::uint64_t time = from->currentLayout().timeForY(top);
  const double y = to->currentLayout().yForTime(time);
  const int offset = static_cast<int>(y - to->mapToScene(QPoint(0, 0)).y());
  to->verticalScrollBar()->setValue(to->verticalScrollBar()->value() + offset);
  following_ = false;
}

}  // namespace viz
