#include "app/main_window.h"

#include <QApplication>
#include <QComboBox>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QSettings>
#include <QScrollArea>
#include <QSplitter>
#include <QStatusBar>
#include <QToolBar>
#include <QVBoxLayout>

#include "app/detail_pane.h"
#include "app/diagram_view.h"
#include "app/event_table.h"
#include "app/legend.h"
#include "app/playback_bar.h"
#include "model/trace_source.h"

namespace viz {
namespace {

constexpr char kRecentKey[] = "recentFiles";

constexpr char kHelpText[] =
    "Playback: Space play/pause, Left/Right step, Home start, End show all, [ ] speed.\n"
    "Diagram: wheel zoom, Shift+wheel scroll, drag to pan, + / - zoom, F fit,\n"
    "G compress idle gaps, L legend, N next fault (lost, damaged, copied, reordered,\n"
    "retransmitted); click an arrow, label or marker to select it.\n"
    "Files: Ctrl+O open a trace or a scenario, drop a file on the window,\n"
    "Ctrl+E export PNG, Ctrl+Shift+E export SVG.";

QString summaryHtml(const Summary& s) {
  auto esc = [](const std::string& v) { return QString::fromStdString(v).toHtmlEscaped(); };
  QString out = QStringLiteral("<b>%1</b> &nbsp;seed %2 &nbsp;<b style='color:%3'>%4</b>"
                               " &nbsp;end %5 &nbsp;%6 datagrams<br>")
                    .arg(esc(s.scenario))
                    .arg(s.seed)
                    .arg(s.passed ? QStringLiteral("#2e7d32") : QStringLiteral("#c62828"),
                         s.passed ? QStringLiteral("PASSED") : QStringLiteral("FAILED"))
                    .arg(esc(formatMs(s.end_us)))
                    .arg(s.datagrams_sent);
  for (const std::string& f : s.failures)
    out += QStringLiteral("<span style='color:#c62828'>\u2717 %1</span><br>").arg(esc(f));
  out += QStringLiteral("handshake: <b>%1</b><br>")
             .arg(s.handshake_us ? esc(formatMs(*s.handshake_us)) : QStringLiteral("not completed"));
  out += QStringLiteral("<table cellspacing='0' cellpadding='1'>");
  for (const EndpointSummary& e : s.endpoints) {
    out += QStringLiteral("<tr><td><b>%1</b>&nbsp;</td><td>%2&nbsp;</td><td>hs %3&nbsp;</td>"
                          "<td>retx <b>%4</b>&nbsp;</td><td>timers %5&nbsp;</td><td>sent %6</td></tr>")
               .arg(esc(e.name), esc(e.final_state),
                    e.handshake_us ? esc(formatMs(*e.handshake_us)) : QStringLiteral("-"))
               .arg(e.retransmissions)
               .arg(e.timer_expiries)
               .arg(e.datagrams_sent);
    if (!e.last_error.empty())
      out += QStringLiteral("<tr><td></td><td colspan='5' style='color:#c62828'>%1</td></tr>").arg(esc(e.last_error));
  }
  out += QStringLiteral("</table>faults: ");
  if (s.faults.empty()) out += QStringLiteral("none");
  bool first = true;
  for (const auto& [kind, count] : s.faults) {
    out += (first ? QString() : QStringLiteral(", ")) + QStringLiteral("%1 <b>%2</b>").arg(esc(kind)).arg(count);
    first = false;
  }
  return out;
}

}  // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
  setObjectName(QStringLiteral("mainWindow"));
  setWindowTitle(QStringLiteral("dtlsim-viz"));
  setAcceptDrops(true);
  resize(kDefaultWidth, kDefaultHeight);

  auto* toolbar = new QToolBar(tr("Playback"), this);
  toolbar->setObjectName(QStringLiteral("playbackToolbar"));
  toolbar->setMovable(false);
  toolbar->setToolButtonStyle(Qt::ToolButtonIconOnly);
  addToolBar(Qt::TopToolBarArea, toolbar);
  playback_bar_ = new PlaybackBar(toolbar, this);
  toolbar->addSeparator();
  lane_filter_ = new QComboBox(toolbar);
  lane_filter_->setObjectName(QStringLiteral("laneFilter"));
  lane_filter_->setToolTip(tr("Lanes shown in the diagram: one client and the server, or all"));
  lane_filter_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
  toolbar->addWidget(lane_filter_);
  connect(lane_filter_, &QComboBox::currentIndexChanged, this, [this] { onLaneFilterChanged(); });

  diagram_ = new DiagramView(this);
  legend_ = new Legend(this);
  auto* left = new QWidget(this);
  auto* left_layout = new QVBoxLayout(left);
  left_layout->setContentsMargins(0, 0, 0, 0);
  left_layout->setSpacing(0);
  left_layout->addWidget(diagram_, 1);
  left_layout->addWidget(legend_);

  summary_ = new QLabel(this);
  summary_->setObjectName(QStringLiteral("summary"));
  summary_->setTextFormat(Qt::RichText);
  summary_->setWordWrap(true);
  summary_->setAlignment(Qt::AlignTop | Qt::AlignLeft);
  summary_->setMargin(4);
  summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  detail_ = new DetailPane(this);
  table_ = new EventTable(this);
  // Scrolled: with a hundred endpoints the summary's rows would otherwise set the window's
  // minimum height (a 1280x2056 screenshot).
  auto* summary_scroll = new QScrollArea(this);
  summary_scroll->setWidget(summary_);
  summary_scroll->setWidgetResizable(true);
  summary_scroll->setFrameShape(QFrame::NoFrame);
  auto* right = new QSplitter(Qt::Vertical, this);
  right->addWidget(summary_scroll);
  right->addWidget(detail_);
  right->addWidget(table_);
  right->setStretchFactor(0, 0);
  right->setStretchFactor(1, 3);
  right->setStretchFactor(2, 2);
  right->setSizes({110, 380, 250});

  auto* split = new QSplitter(Qt::Horizontal, this);
  split->setObjectName(QStringLiteral("mainSplitter"));
  split->addWidget(left);
  split->addWidget(right);
  split->setStretchFactor(0, 3);
  split->setStretchFactor(1, 2);
  split->setSizes({760, 520});
  setCentralWidget(split);

  createMenus();
  connect(diagram_, &DiagramView::itemClicked, this, [this](const ItemRef& ref) { selectItem(ref); });
  connect(table_, &EventTable::itemSelected, this, [this](const ItemRef& ref, int) {
    diagram_->setSelectedItem(ref);
    detail_->showItem(timeline_.get(), ref);
  });
  connect(diagram_, &DiagramView::laneActivated, this, [this](int lane) { focusOnLane(lane); });
  connect(table_, &EventTable::itemActivated, this, [this](const ItemRef& ref) { focusOnItem(ref); });
  connect(playback_bar_, &PlaybackBar::cursorChanged, this, [this] { onPlaybackMoved(); });
  statusBar()->showMessage(tr("Open a trace (File \u203a Open, or drop it here)"));
}

MainWindow::~MainWindow() {
  // Widgets point into the model: detach them before it goes.
  playback_bar_->setPlayback(nullptr);
  diagram_->setTimeline(nullptr, nullptr);
  table_->setTimeline(nullptr);
}

void MainWindow::createMenus() {
  QMenu* file = menuBar()->addMenu(tr("&File"));
  file->addAction(tr("&Open\u2026"), QKeySequence::Open, this, [this] { openDialog(); });
  recent_menu_ = file->addMenu(tr("Open &Recent"));
  rebuildRecentMenu();
  file->addSeparator();
  file->addAction(tr("Export Diagram as &PNG\u2026"), QKeySequence(tr("Ctrl+E")), this, [this] { exportDialog(false); });
  file->addAction(tr("Export Diagram as &SVG\u2026"), QKeySequence(tr("Ctrl+Shift+E")), this, [this] { exportDialog(true); });
  file->addSeparator();
  file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

  QMenu* view = menuBar()->addMenu(tr("&View"));
  view->addAction(tr("Zoom &In"), QKeySequence(Qt::Key_Plus), this, [this] { diagram_->zoomBy(1.5); });
  view->addAction(tr("Zoom &Out"), QKeySequence(Qt::Key_Minus), this, [this] { diagram_->zoomBy(1 / 1.5); });
  view->addAction(tr("&Fit"), QKeySequence(Qt::Key_F), this, [this] { diagram_->fit(); });
  compress_action_ = view->addAction(tr("&Compress Idle Gaps"), QKeySequence(Qt::Key_G), this,
                                     [this](bool on) { diagram_->setCompressGaps(on); });
  compress_action_->setCheckable(true);
  compress_action_->setChecked(true);
  view->addAction(tr("&Next Fault"), QKeySequence(Qt::Key_N), this, [this] {
    if (timeline_ == nullptr) return;
    const ItemRef current = diagram_->selectedItem();
    selectItem(nextNotableItem(*timeline_, current.type == ItemRef::Type::Datagram ? current.index : -1));
  });
  view->addSeparator();
  QAction* legend = view->addAction(tr("&Legend"), QKeySequence(Qt::Key_L), this,
                                    [this](bool on) { legend_->setVisible(on); });
  legend->setCheckable(true);
  legend->setChecked(true);

  QMenu* play = menuBar()->addMenu(tr("&Playback"));
  for (QAction* a : {playback_bar_->playAction(), playback_bar_->stepBackAction(),
                     playback_bar_->stepForwardAction(), playback_bar_->toStartAction(),
                     playback_bar_->toEndAction()})
    play->addAction(a);

  QMenu* help = menuBar()->addMenu(tr("&Help"));
  help->addAction(tr("&Keyboard and Mouse"), QKeySequence::HelpContents, this, [this] {
    auto* box = new QMessageBox(QMessageBox::Information, tr("dtlsim-viz"), QString::fromUtf8(kHelpText),
                                QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
  });
}

QStringList MainWindow::recentFiles() const {
  return QSettings().value(kRecentKey).toStringList();
}

void MainWindow::addRecentFile(const QString& path) {
  QStringList files = recentFiles();
  const QString absolute = QFileInfo(path).absoluteFilePath();
  files.removeAll(absolute);
  files.prepend(absolute);
  while (files.size() > kMaxRecentFiles) files.removeLast();
  QSettings().setValue(kRecentKey, files);
  rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu() {
  recent_menu_->clear();
  const QStringList files = recentFiles();
  for (const QString& f : files)
    recent_menu_->addAction(QFileInfo(f).fileName() + QStringLiteral("  \u2014  ") + f, this,
                            [this, f] { openFile(f); });
  recent_menu_->setEnabled(!files.isEmpty());
}

void MainWindow::showError(const QString& message, bool quiet) {
  last_error_ = message;
  statusBar()->showMessage(message);
  if (quiet) return;
  auto* box = new QMessageBox(QMessageBox::Warning, tr("dtlsim-viz"), message, QMessageBox::Ok, this);
  box->setAttribute(Qt::WA_DeleteOnClose);
  box->open();  // window-modal, not a nested event loop
}

bool MainWindow::openFile(const QString& path, std::optional<std::uint64_t> seed, bool quiet) {
  dtlsim::Trace trace;
  std::string error;
  QApplication::setOverrideCursor(Qt::WaitCursor);
  const bool ok = loadInput(path.toStdString(), seed, &trace, &error);
  QApplication::restoreOverrideCursor();
  if (!ok) {
    showError(QString::fromStdString(error), quiet);
    return false;
  }
  last_error_.clear();
  QString source = QFileInfo(path).fileName();
  if (seed) source += QStringLiteral(" --seed %1").arg(*seed);
  setTrace(std::move(trace), source);
  addRecentFile(path);
  return true;
}

void MainWindow::setTrace(dtlsim::Trace trace, const QString& source) {
  // New model first, then repoint the widgets, then drop the old model.
  auto new_trace = std::make_unique<dtlsim::Trace>(std::move(trace));
  auto new_timeline = std::make_unique<Timeline>(buildTimeline(*new_trace));
  auto new_playback = std::make_unique<Playback>(new_timeline.get());
  detail_->clear();
  playback_bar_->setPlayback(new_playback.get());
  diagram_->setTimeline(new_timeline.get(), new_playback.get());
  table_->setTimeline(new_timeline.get());
  trace_ = std::move(new_trace);
  timeline_ = std::move(new_timeline);
  playback_ = std::move(new_playback);
  fillLaneFilter();
  const Summary s = summarize(*trace_, *timeline_);
  summary_->setText(summaryHtml(s));
  setWindowTitle(QStringLiteral("%1 \u2014 dtlsim-viz").arg(source));
  statusBar()->showMessage(tr("%1: %2 events, %3 datagram copies, %4 markers")
                               .arg(source)
                               .arg(timeline_->events.size())
                               .arg(timeline_->datagrams.size())
                               .arg(timeline_->markers.size()));
  diagram_->fit();
}

void MainWindow::fillLaneFilter() {
  const QSignalBlocker block(lane_filter_);
  lane_filter_->clear();
  lane_filter_->addItem(tr("all endpoints"), -1);
  if (timeline_ != nullptr)
    for (std::size_t i = 0; i < timeline_->lanes.size(); ++i)
      if (timeline_->lanes[i].role != LaneRole::Server)
        lane_filter_->addItem(tr("%1 + server").arg(QString::fromStdString(timeline_->lanes[i].name)),
                              static_cast<int>(i));
  // With one client there is nothing to choose.
  lane_filter_->setEnabled(lane_filter_->count() > 2);
}

void MainWindow::onLaneFilterChanged() {
  if (timeline_ == nullptr) return;
  const int client = lane_filter_->currentData().toInt();
  std::vector<bool> shown;
  std::string peer;
  if (client >= 0) {
    for (std::size_t i = 0; i < timeline_->lanes.size(); ++i)
      shown.push_back(static_cast<int>(i) == client || timeline_->lanes[i].role == LaneRole::Server);
    peer = timeline_->lanes[static_cast<std::size_t>(client)].address;
  }
  diagram_->setShownLanes(std::move(shown), std::move(peer));
  diagram_->fit();
}

void MainWindow::focusOnLane(int lane) {
  if (timeline_ == nullptr || lane < 0 || static_cast<std::size_t>(lane) >= timeline_->lanes.size())
    return;
  const int entry = lane_filter_->findData(lane);
  // The server's lane has no entry of its own: it is in every association.
  lane_filter_->setCurrentIndex(entry < 0 || entry == lane_filter_->currentIndex() ? 0 : entry);
}

void MainWindow::focusOnItem(const ItemRef& ref) {
  if (timeline_ == nullptr) return;
  const auto client = [this](int lane) {
    return lane >= 0 && timeline_->lanes[static_cast<std::size_t>(lane)].role != LaneRole::Server;
  };
  int lane = -1;
  if (ref.type == ItemRef::Type::Datagram) {
    const DatagramItem& d = timeline_->datagrams[static_cast<std::size_t>(ref.index)];
    lane = client(d.from_lane) ? d.from_lane : client(d.to_lane) ? d.to_lane : -1;
  } else if (ref.type == ItemRef::Type::Marker) {
    const int on = timeline_->markers[static_cast<std::size_t>(ref.index)].lane;
    lane = client(on) ? on : -1;
  }
  const int entry = lane_filter_->findData(lane);
  if (lane >= 0 && entry >= 0) lane_filter_->setCurrentIndex(entry);
}

void MainWindow::selectItem(const ItemRef& ref) {
  diagram_->setSelectedItem(ref);
  detail_->showItem(timeline_.get(), ref);
  table_->selectItem(ref);
}

void MainWindow::onPlaybackMoved() {
  diagram_->updatePlayback();
  if (playback_ && playback_->cursor() >= 0 && !playback_->atEnd()) {
    // Follow the cursor: the table and detail pane show the event just revealed.
    const EventRow& row = timeline_->events[static_cast<std::size_t>(playback_->cursor())];
    table_->selectEventRow(playback_->cursor());
    diagram_->setSelectedItem(row.item);
    detail_->showItem(timeline_.get(), row.item);
  }
}

void MainWindow::openDialog() {
  const QString path = QFileDialog::getOpenFileName(
      this, tr("Open trace or scenario"), QString(),
      tr("dtlsim traces and scenarios (*.trace *.textproto);;All files (*)"));
  if (!path.isEmpty()) openFile(path);
}

void MainWindow::exportDialog(bool svg) {
  const QString path = QFileDialog::getSaveFileName(
      this, svg ? tr("Export SVG") : tr("Export PNG"), QString(),
      svg ? tr("SVG (*.svg)") : tr("PNG (*.png)"));
  if (path.isEmpty()) return;
  QString error;
  const bool ok = svg ? diagram_->exportSvg(path, &error) : diagram_->exportPng(path, &error);
  if (!ok) showError(error, false);
  else statusBar()->showMessage(tr("exported %1").arg(path));
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
  if (event->mimeData()->hasUrls() && !event->mimeData()->urls().isEmpty() &&
      event->mimeData()->urls().front().isLocalFile())
    event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
  const QList<QUrl> urls = event->mimeData()->urls();
  if (urls.isEmpty() || !urls.front().isLocalFile()) return;
  event->acceptProposedAction();
  openFile(urls.front().toLocalFile());
}

}  // namespace viz
