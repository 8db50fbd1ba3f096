// viz/app/compare_window.h — two runs side by side (`dtlsim-viz --compare A B`): a diagram per
// run on one time axis (scrolling one scrolls the other to the same virtual time, both start
// at 0), every datagram that differs marked with a pink band in both, the first difference
// selected, and the text of the differences (viz/model/compare.h) below.
#pragma once

#include <QPlainTextEdit>
#include <QLabel>
#include <QWidget>
#include <memory>
#include <string>

#include "app/diagram_view.h"
#include "model/compare.h"
#include "model/playback.h"
#include "model/timeline.h"

namespace viz {

class CompareWindow : public QWidget {
  Q_OBJECT

 public:
  static constexpr int kDefaultWidth = 1600, kDefaultHeight = 900;

  explicit CompareWindow(QWidget* parent = nullptr);
  // Shows the two runs (taken over); the names head each side and the summary.
  void setRuns(dtlsim::Trace a, const std::string& name_a, dtlsim::Trace b,
               const std::string& name_b);

  const Comparison& comparison() const { return comparison_; }
  const std::string& summaryText() const { return summary_; }
  DiagramView* diagramA() const { return view_a_; }
  DiagramView* diagramB() const { return view_b_; }
  const Timeline* timelineA() const { return timeline_a_.get(); }
  const Timeline* timelineB() const { return timeline_b_.get(); }
  // Fits both diagrams to their height, then aligns B's time with A's.
  void fit();

 private:
  void follow(DiagramView* from, DiagramView* to);

  dtlsim::Trace trace_a_, trace_b_;
  std::unique_ptr<Timeline> timeline_a_, timeline_b_;
  std::unique_ptr<Playback> playback_a_, playback_b_;
  Comparison comparison_;
  std::string summary_;
  QLabel* title_a_;
  QLabel* title_b_;
  DiagramView* view_a_;
  DiagramView* view_b_;
  QPlainTextEdit* text_;
  bool following_ = false;
};

}  // namespace viz
