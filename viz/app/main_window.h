// viz/app/main_window.h — dtlsim-viz's window: the sequence diagram with its playback toolbar
// on the left; the summary, detail pane, legend and event table on the right. It owns the
// current trace and the model built from it, and links the selections of the diagram and the
// table both ways.
#pragma once

#include <QMainWindow>
#include <QStringList>
#include <memory>
#include <optional>

#include "dtlsim/trace.pb.h"
#include "model/playback.h"
#include "model/summary.h"
#include "model/timeline.h"

class QComboBox;
class QLabel;
class QMenu;
class QAction;

namespace viz {

class DetailPane;
class DiagramView;
class EventTable;
class Legend;
class PlaybackBar;

class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  // Opens a trace or runs a scenario (trace_source.h). On failure the current trace stays,
  // lastError() names the problem, and unless `quiet` a message box says it too.
  bool openFile(const QString& path, std::optional<std::uint64_t> seed = std::nullopt,
                bool quiet = false);
  // Shows `trace` (taken over); `source` names it in the title and the recent files.
  void setTrace(dtlsim::Trace trace, const QString& source);

  QString lastError() const { return last_error_; }
  QStringList recentFiles() const;
  static constexpr int kMaxRecentFiles = 8;
  static constexpr int kDefaultWidth = 1280, kDefaultHeight = 800;

  DiagramView* diagram() const { return diagram_; }
  DetailPane* detailPane() const { return detail_; }
  EventTable* eventTable() const { return table_; }
  PlaybackBar* playbackBar() const { return playback_bar_; }
  QLabel* summaryLabel() const { return summary_; }
  // "all endpoints", then one entry per client: that client and the server(s).
  QComboBox* laneFilter() const { return lane_filter_; }
  const Timeline* timeline() const { return timeline_.get(); }
  const Playback* playback() const { return playback_.get(); }

  // Selects `ref` everywhere: diagram highlight, detail pane, table row.
  void selectItem(const ItemRef& ref);
  // Focus on one association: a client lane shows that client and the server(s) (the lane
  // filter's entry); the server's lane, or the lane already in focus, shows all again. What a
  // double-click on a lane header does.
  void focusOnLane(int lane);
  // The association of a table row's item: a datagram's client end, a client's marker; a
  // server's own marker changes nothing. What a double-click on a table row does.
  void focusOnItem(const ItemRef& ref);

 protected:
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dropEvent(QDropEvent* event) override;

 private:
  void createMenus();
  void openDialog();
  void exportDialog(bool svg);
  void addRecentFile(const QString& path);
  void rebuildRecentMenu();
  void onPlaybackMoved();
  void fillLaneFilter();
  void onLaneFilterChanged();
  void showError(const QString& message, bool quiet);

  DiagramView* diagram_;
  DetailPane* detail_;
  EventTable* table_;
  Legend* legend_;
  QLabel* summary_;
  PlaybackBar* playback_bar_;
  QMenu* recent_menu_ = nullptr;
  QAction* compress_action_ = nullptr;
  QComboBox* lane_filter_;

  // The model of the trace on screen; the widgets point into it.
  std::unique_ptr<dtlsim::Trace> trace_;
  std::unique_ptr<Timeline> timeline_;
  std::unique_ptr<Playback> playback_;
  QString last_error_;
};

}  // namespace viz
