// Widget tests of dtlsim-viz (QTest, offscreen platform): open a catalog run, count what is
// drawn, select a lost datagram by clicking it, link the table and the diagram, filter, step
// the playback, zoom, bad input, recent files, drag and drop, export.
#include <QApplication>
#include <QComboBox>
#include <QFile>
#include <QGraphicsItem>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QMimeData>
#include <QScrollBar>
#include <QSettings>
#include <QTableView>
#include <QTemporaryDir>
#include <QSignalSpy>
#include <QTest>
#include <QTreeWidget>
#include <QUrl>
#include <QWheelEvent>

#include "app/compare_window.h"
#include "app/detail_pane.h"
#include "app/diagram_view.h"
#include "app/event_table.h"
#include "app/main_window.h"
#include "scenarios/runner.h"
#include "scenarios/scenario_file.h"
#include "app/playback_bar.h"
#include "scenarios/trace_io.h"
#include "model/trace_source.h"

namespace viz {

class MainWindowTest : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase();
  void opensCatalogRunAndCountsItems();
  void clickingLostDatagramShowsItsRecordsAndBytes();
  void tableSelectionSelectsInDiagram();
  void tableFilters();
  void playbackSteps();
  void playbackPlaysWithTheTimer();
  void wheelZoomsAndFitFits();
  void brokenTraceGivesAMessageAndKeepsTheView();
  void recentFilesAreRemembered();
  void dropOpensTheFile();
  void exportsPngAndSvg();
  void laneFilterShowsOneClient();
  void doubleClicksFocusOnAnAssociation();
  void anOracleViolationIsAMarkerWithItsRfcSection();
  void compareMarksTheOneDropFirst();
  void nextFaultKey();

 private:
  QString writeCatalogTrace(const char* name);
  // Window shortcuts (the playback keys) need the window to be the active one.
  static bool activate(MainWindow* w);
  int visibleArrows(const MainWindow& w) const;

  QTemporaryDir dir_;
};

void MainWindowTest::initTestCase() {
  QVERIFY(dir_.isValid());
  // Recent files go to a throwaway INI file, never the user's settings.
  QSettings::setDefaultFormat(QSettings::IniFormat);
  QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, dir_.path());
  QCoreApplication::setOrganizationName(QStringLiteral("dtlsim-test"));
  QCoreApplication::setApplicationName(QStringLiteral("viz_widget_tests"));
}

QString MainWindowTest::writeCatalogTrace(const char* name) {
  dtlsim::Trace trace;
  std::string error;
  const std::string scenario = std::string(DTLSIM_SOURCE_DIR) + "/scenarios/catalog/" + name + ".textproto";
  if (!loadInput(scenario, std::nullopt, &trace, &error)) qFatal("%s", error.c_str());
  const QString path = dir_.filePath(QString::fromLatin1(name) + QStringLiteral(".trace"));
  if (!scenarios::writeTraceFile(trace, path.toStdString(), &error)) qFatal("%s", error.c_str());
  return path;
}

bool MainWindowTest::activate(MainWindow* w) {
  w->show();
  QApplication::setActiveWindow(w);
  return QTest::qWaitForWindowActive(w);
}

int MainWindowTest::visibleArrows(const MainWindow& w) const {
  int n = 0;
  for (QGraphicsItem* item : w.diagram()->scene()->items())
    if (item->zValue() == 1 && item->isVisible()) ++n;  // kZArrow
  return n;
}

void MainWindowTest::opensCatalogRunAndCountsItems() {
  MainWindow w;
  w.show();
  QVERIFY(w.openFile(writeCatalogTrace("lost-finished"), std::nullopt, true));
  // lost-finished: 21 datagrams, no network copies; endpoint events on the lanes.
  dtlsim::Trace trace;
  std::string error;
  QVERIFY(scenarios::readTraceFile(dir_.filePath(QStringLiteral("lost-finished.trace")).toStdString(), &trace, &error));
  int sends = 0, endpoint_events = 0;
  for (const auto& e : trace.events()) {
    sends += e.kind() == dtlsim::TraceEvent::SEND;
    endpoint_events += e.kind() >= dtlsim::TraceEvent::STATE;
  }
  QCOMPARE(sends, 21);
  QCOMPARE(w.diagram()->arrowCount(), sends);
  QCOMPARE(w.diagram()->markerCount(), endpoint_events);
  QCOMPARE(visibleArrows(w), sends);
  QCOMPARE(w.eventTable()->view()->model()->rowCount(), trace.events_size());
  QVERIFY(w.windowTitle().startsWith(QStringLiteral("lost-finished.trace")));
  QVERIFY(w.summaryLabel()->text().contains(QStringLiteral("PASSED")));
  QVERIFY(w.summaryLabel()->text().contains(QStringLiteral("lost (rule) <b>1</b>")));
}

void MainWindowTest::clickingLostDatagramShowsItsRecordsAndBytes() {
  MainWindow w;
  w.show();
  QVERIFY(w.openFile(writeCatalogTrace("lost-finished"), std::nullopt, true));
  ItemRef lost;
  for (std::size_t i = 0; i < w.timeline()->datagrams.size(); ++i)
    if (w.timeline()->datagrams[i].fate == Fate::Dropped) lost = {ItemRef::Type::Datagram, static_cast<int>(i)};
  QCOMPARE(lost.type, ItemRef::Type::Datagram);
  // Click the middle of its arrow, as a user would.
  DiagramView* view = w.diagram();
  view->setSelectedItem({});
  view->centerOn(view->itemScenePos(lost));
  const QPoint at = view->mapFromScene(view->itemScenePos(lost));
  QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, at);
  QCOMPARE(view->selectedItem(), lost);
  const QString title = w.detailPane()->titleText();
  QVERIFY2(title.contains(QStringLiteral("LOST (rule)")), qPrintable(title));
  QVERIFY2(title.contains(QStringLiteral("client \u2192 server")), qPrintable(title));
  QVERIFY2(title.contains(QStringLiteral("Finished (epoch 1)")), qPrintable(title));
  // The tree lists the records; the first record's 13 + 15 bytes are highlighted.
  QTreeWidget* tree = w.detailPane()->tree();
  QCOMPARE(tree->topLevelItem(0)->text(0), QStringLiteral("sent"));
  QCOMPARE(tree->topLevelItem(0)->childCount(), 4);  // Certificate, CKE, CCS, Finished records
  QCOMPARE(tree->currentItem()->text(0), QStringLiteral("Record 1: handshake"));
  QVERIFY(w.detailPane()->hexText().startsWith(QStringLiteral("0000  16 fe fd 00 00")));
  QCOMPARE(w.detailPane()->highlightedText().count(QLatin1Char('|')), 3);  // 2 lines x 2 spans
  // Selecting the epoch field highlights exactly its two bytes.
  QTreeWidgetItem* epoch = tree->currentItem()->child(2);
  QCOMPARE(epoch->text(0), QStringLiteral("epoch"));
  tree->setCurrentItem(epoch);
  QCOMPARE(w.detailPane()->highlightedText(), QStringLiteral("00 00|.."));
  // The table follows: its current row is the datagram's SEND.
  const QModelIndex row = w.eventTable()->view()->currentIndex();
  QVERIFY(row.isValid());
  QCOMPARE(row.siblingAtColumn(2).data().toString(), QStringLiteral("send"));
  QVERIFY(row.siblingAtColumn(3).data().toString().contains(QStringLiteral("Finished (epoch 1)")));
}

void MainWindowTest::tableSelectionSelectsInDiagram() {
  MainWindow w;
  w.show();
  QVERIFY(w.openFile(writeCatalogTrace("lost-finished"), std::nullopt, true));
  QTableView* table = w.eventTable()->view();
  for (int r = 0; r < table->model()->rowCount(); ++r) {
    if (table->model()->index(r, 2).data().toString() != QLatin1String("timer")) continue;
    table->setCurrentIndex(table->model()->index(r, 0));
    break;
  }
  const ItemRef selected = w.diagram()->selectedItem();
  QCOMPARE(selected.type, ItemRef::Type::Marker);
  QCOMPARE(w.timeline()->markers[selected.index].kind, MarkerKind::Timer);
  QVERIFY(w.detailPane()->titleText().startsWith(QStringLiteral("timer expired at ")));
}

void MainWindowTest::tableFilters() {
  MainWindow w;
  w.show();
  QVERIFY(w.openFile(writeCatalogTrace("lost-finished"), std::nullopt, true));
  EventTable* t = w.eventTable();
  const int all = t->view()->model()->rowCount();
  t->kindFilter()->setCurrentIndex(t->kindFilter()->findData(QStringLiteral("drop")));
  QCOMPARE(t->view()->model()->rowCount(), 1);
  t->kindFilter()->setCurrentIndex(0);
  t->endpointFilter()->setCurrentIndex(t->endpointFilter()->findData(QStringLiteral("server")));
  const int server_rows = t->view()->model()->rowCount();
  QVERIFY(server_rows > 0 && server_rows < all);
  for (int r = 0; r < server_rows; ++r)
    QCOMPARE(t->view()->model()->index(r, 1).data().toString(), QStringLiteral("server"));
  t->endpointFilter()->setCurrentIndex(0);
  t->textFilter()->setText(QStringLiteral("finished (EPOCH"));  // case-insensitive
  QVERIFY(t->view()->model()->rowCount() >= 3);
  for (int r = 0; r < t->view()->model()->rowCount(); ++r)
    QVERIFY(t->view()->model()->index(r, 3).data().toString().contains(QStringLiteral("Finished (epoch")));
  t->textFilter()->clear();
  // Sorting by kind puts "action" first; by time restores trace order.
  t->view()->sortByColumn(EventTableModel::kKind, Qt::AscendingOrder);
  QCOMPARE(t->view()->model()->index(0, 2).data().toString(), QStringLiteral("action"));
  t->view()->sortByColumn(EventTableModel::kTime, Qt::AscendingOrder);
  QCOMPARE(t->view()->model()->index(0, 0).data().toString(), QStringLiteral("0.000"));
  QCOMPARE(t->view()->model()->rowCount(), all);
}

void MainWindowTest::playbackSteps() {
  MainWindow w;
  QVERIFY(activate(&w));
  QVERIFY(w.openFile(writeCatalogTrace("lost-finished"), std::nullopt, true));
  QVERIFY(w.playback()->atEnd());
  QTest::keyClick(&w, Qt::Key_Home);
  QCOMPARE(w.playback()->cursor(), -1);
  QCOMPARE(visibleArrows(w), 0);
  int steps = 0;
  while (visibleArrows(w) == 0) {
    QTest::keyClick(&w, Qt::Key_Right);
    QVERIFY(++steps < 10);
  }
  // The first datagram appeared with its SEND: the table and detail pane follow the cursor.
  QCOMPARE(visibleArrows(w), 1);
  const QModelIndex current = w.eventTable()->view()->currentIndex();
  QCOMPARE(current.siblingAtColumn(2).data().toString(), QStringLiteral("send"));
  QVERIFY(w.detailPane()->titleText().startsWith(QStringLiteral("#1 client \u2192 server")));
  const int before = w.playback()->cursor();
  QTest::keyClick(&w, Qt::Key_Left);
  QCOMPARE(w.playback()->cursor(), before - 1);
  QCOMPARE(visibleArrows(w), 0);
  QTest::keyClick(&w, Qt::Key_End);
  QVERIFY(w.playback()->atEnd());
  QCOMPARE(visibleArrows(w), 21);
}

void MainWindowTest::playbackPlaysWithTheTimer() {
  MainWindow w;
  QVERIFY(activate(&w));
  QVERIFY(w.openFile(writeCatalogTrace("lossless"), std::nullopt, true));
  PlaybackBar* bar = w.playbackBar();
  bar->speedBox()->setCurrentIndex(bar->speedBox()->count() - 1);  // 16x: 64 steps a second
  QTest::keyClick(&w, Qt::Key_Space);  // at the end: restarts from the beginning
  QVERIFY(bar->isPlaying());
  QTRY_VERIFY_WITH_TIMEOUT(w.playback()->cursor() >= 5, 5000);
  QTest::keyClick(&w, Qt::Key_Space);
  QVERIFY(!bar->isPlaying());
  const int paused_at = w.playback()->cursor();
  QVERIFY(!w.playback()->atEnd());
  QTest::qWait(100);  // paused: the timer is stopped
  QCOMPARE(w.playback()->cursor(), paused_at);
}

void MainWindowTest::wheelZoomsAndFitFits() {
  MainWindow w;
  QVERIFY(activate(&w));
  QVERIFY(w.openFile(writeCatalogTrace("lost-finished"), std::nullopt, true));
  DiagramView* view = w.diagram();
  const double fitted = view->pxPerMs();
  const double fitted_height = view->currentLayout().height;
  const QPoint centre = view->viewport()->rect().center();
  QWheelEvent wheel(centre, view->viewport()->mapToGlobal(centre), QPoint(), QPoint(0, 240),
                    Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
  QCoreApplication::sendEvent(view->viewport(), &wheel);
  QVERIFY(qAbs(view->pxPerMs() - fitted * 1.5625) < 1e-9);  // two notches of 1.25
  QVERIFY(view->currentLayout().height > fitted_height);
  QTest::keyClick(&w, Qt::Key_F);
  QCOMPARE(view->pxPerMs(), fitted);
  QVERIFY(view->currentLayout().height <= view->viewport()->height());
  // Without gap compression the 1 s timer wait takes its real share of the height.
  QTest::keyClick(&w, Qt::Key_G);
  QVERIFY(!view->compressGaps());
  QVERIFY(view->currentLayout().breaks.empty());
}

void MainWindowTest::brokenTraceGivesAMessageAndKeepsTheView() {
  MainWindow w;
  w.show();
  QVERIFY(w.openFile(writeCatalogTrace("lossless"), std::nullopt, true));
  QFile good(dir_.filePath(QStringLiteral("lossless.trace")));
  QVERIFY(good.open(QIODevice::ReadOnly));
  const QByteArray bytes = good.readAll();
  const QString cut = dir_.filePath(QStringLiteral("cut.trace"));
  QFile out(cut);
  QVERIFY(out.open(QIODevice::WriteOnly));
  out.write(bytes.left(bytes.size() / 3));
  out.close();
  QVERIFY(!w.openFile(cut));
  QVERIFY2(w.lastError().contains(QStringLiteral("truncated or corrupt trace")), qPrintable(w.lastError()));
  QVERIFY(w.lastError().startsWith(cut));
  QMessageBox* box = w.findChild<QMessageBox*>();
  QVERIFY(box != nullptr);
  QVERIFY(box->isVisible());
  QCOMPARE(box->text(), w.lastError());
  box->close();
  QVERIFY(w.windowTitle().startsWith(QStringLiteral("lossless.trace")));  // still shown
  QVERIFY(w.diagram()->arrowCount() > 0);
}

void MainWindowTest::recentFilesAreRemembered() {
  QSettings().clear();
  const QString a = writeCatalogTrace("lossless"), b = writeCatalogTrace("lost-finished");
  {
    MainWindow w;
    QVERIFY(w.openFile(a, std::nullopt, true));
    QVERIFY(w.openFile(b, std::nullopt, true));
    QVERIFY(w.openFile(a, std::nullopt, true));
  }
  MainWindow later;  // a new window reads them back from QSettings
  const QStringList recent = later.recentFiles();
  QCOMPARE(recent.size(), 2);
  QCOMPARE(recent[0], a);
  QCOMPARE(recent[1], b);
  QVERIFY(QSettings().fileName().startsWith(dir_.path()));
}

void MainWindowTest::dropOpensTheFile() {
  MainWindow w;
  w.show();
  const QString path = writeCatalogTrace("lost-finished");
  QMimeData mime;
  mime.setUrls({QUrl::fromLocalFile(path)});
  const QPoint at(100, 100);
  QDragEnterEvent enter(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
  QCoreApplication::sendEvent(&w, &enter);
  QVERIFY(enter.isAccepted());
  QDropEvent drop(QPointF(at), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
  QCoreApplication::sendEvent(&w, &drop);
  QVERIFY(w.windowTitle().startsWith(QStringLiteral("lost-finished.trace")));
  QCOMPARE(w.diagram()->arrowCount(), 21);
}

void MainWindowTest::exportsPngAndSvg() {
  MainWindow w;
  w.show();
  QVERIFY(w.openFile(writeCatalogTrace("lost-finished"), std::nullopt, true));
  const QString png = dir_.filePath(QStringLiteral("diagram.png"));
  const QString svg = dir_.filePath(QStringLiteral("diagram.svg"));
  QString error;
  QVERIFY2(w.diagram()->exportPng(png, &error), qPrintable(error));
  QVERIFY2(w.diagram()->exportSvg(svg, &error), qPrintable(error));
  const QImage image(png);
  QCOMPARE(image.size(), w.diagram()->sceneRect().size().toSize());
  QFile file(svg);
  QVERIFY(file.open(QIODevice::ReadOnly));
  const QByteArray text = file.readAll();
  QVERIFY(text.contains("<svg"));
  QVERIFY(text.contains("Finished (epoch 1)"));
  QVERIFY(!w.diagram()->exportPng(dir_.filePath(QStringLiteral("no/such/dir/x.png")), &error));
  QVERIFY(error.endsWith(QStringLiteral("cannot write PNG")));
}

void MainWindowTest::laneFilterShowsOneClient() {
  MainWindow w;
  w.show();
  QVERIFY(w.openFile(writeCatalogTrace("lost-finished"), std::nullopt, true));
  QVERIFY(!w.laneFilter()->isEnabled());  // one client: nothing to choose
  QVERIFY(w.openFile(writeCatalogTrace("many-clients"), std::nullopt, true));
  QVERIFY(w.laneFilter()->isEnabled());
  const int all = w.diagram()->shownArrowCount();
  QCOMPARE(all, w.diagram()->arrowCount());
  QCOMPARE(w.laneFilter()->itemText(1), QStringLiteral("client0 + server"));
  w.laneFilter()->setCurrentIndex(1);
  const int one = w.diagram()->shownArrowCount();
  QVERIFY(one > 0 && one < all);
  // Items of hidden lanes stay selectable from the table without breaking anything.
  w.eventTable()->view()->setCurrentIndex(w.eventTable()->view()->model()->index(w.eventTable()->view()->model()->rowCount() - 1, 0));
  w.laneFilter()->setCurrentIndex(0);
  QCOMPARE(w.diagram()->shownArrowCount(), all);
}

// Focus from the lane header and from the event table, by real double-clicks.
void MainWindowTest::doubleClicksFocusOnAnAssociation() {
  MainWindow w;
  w.resize(MainWindow::kDefaultWidth, MainWindow::kDefaultHeight);
  w.show();
  QVERIFY(QTest::qWaitForWindowExposed(&w));
  QVERIFY(w.openFile(writeCatalogTrace("many-clients"), std::nullopt, true));
  const int all = w.diagram()->shownArrowCount();
  const int client3 = w.timeline()->laneOf("client3");
  const int server = w.timeline()->laneOf("server");
  QVERIFY(client3 >= 0 && server >= 0);
  const auto header = [&](int lane) {
    return w.diagram()->mapFromScene(QPointF(w.diagram()->currentLayout().lane_x[static_cast<std::size_t>(lane)], 18));
  };
  QCOMPARE(w.diagram()->laneAtHeader(QPointF(w.diagram()->currentLayout().lane_x[static_cast<std::size_t>(client3)], 18)), client3);
  QCOMPARE(w.diagram()->laneAtHeader(QPointF(w.diagram()->currentLayout().lane_x[static_cast<std::size_t>(client3)], 300)), -1);

  QTest::mouseDClick(w.diagram()->viewport(), Qt::LeftButton, Qt::NoModifier, header(client3));
  QCOMPARE(w.laneFilter()->currentText(), QStringLiteral("client3 + server"));
  const int focused = w.diagram()->shownArrowCount();
  QVERIFY(focused > 0 && focused < all);
  // Only client3's datagrams are drawn.
  const Timeline& t = *w.timeline();
  for (std::size_t i = 0; i < t.datagrams.size(); ++i)
    QCOMPARE(w.diagram()->currentLayout().datagrams[i].shown,
             t.datagrams[i].from_lane == client3 || t.datagrams[i].to_lane == client3);
  // The server's header (in every association) and the focused lane again show everything.
  QTest::mouseDClick(w.diagram()->viewport(), Qt::LeftButton, Qt::NoModifier, header(server));
  QCOMPARE(w.laneFilter()->currentIndex(), 0);
  QTest::mouseDClick(w.diagram()->viewport(), Qt::LeftButton, Qt::NoModifier, header(client3));
  QTest::mouseDClick(w.diagram()->viewport(), Qt::LeftButton, Qt::NoModifier, header(client3));
  QCOMPARE(w.laneFilter()->currentIndex(), 0);
  QCOMPARE(w.diagram()->shownArrowCount(), all);

  // A table row of a server -> client7 datagram focuses on client7.
  QTableView* table = w.eventTable()->view();
  int row = -1;
  for (int r = 0; r < table->model()->rowCount() && row < 0; ++r)
    if (table->model()->index(r, 3).data().toString().startsWith(QStringLiteral("server \u2192 client7")))
      row = r;
  QVERIFY(row >= 0);
  table->scrollTo(table->model()->index(row, 3));
  const QRect cell = table->visualRect(table->model()->index(row, 3));
  QSignalSpy activated(w.eventTable(), &EventTable::itemActivated);
  // A double-click is a press, a release and a double-click press (QTest sends the last only).
  QTest::mouseClick(table->viewport(), Qt::LeftButton, Qt::NoModifier, cell.center());
  QTest::mouseDClick(table->viewport(), Qt::LeftButton, Qt::NoModifier, cell.center());
  QCOMPARE(activated.count(), 1);
  QCOMPARE(w.laneFilter()->currentText(), QStringLiteral("client7 + server"));
}

// lost-server-final-flight with a wolfSSL server: its excused last-flight-answered violation
// is a marker on the server's lane; selecting it names the property's RFC section.
void MainWindowTest::anOracleViolationIsAMarkerWithItsRfcSection() {
  scenarios::LoadedScenario loaded;
  std::string error;
  QVERIFY2(scenarios::loadScenarioFile(DTLSIM_SOURCE_DIR "/scenarios/catalog/lost-server-final-flight.textproto",
                                       &loaded, &error),
           error.c_str());
  for (dtlsim::Endpoint& e : *loaded.scenario.mutable_endpoints())
    if (e.name() == "server") e.mutable_dtls()->set_backend("wolfssl");
  dtlsim::Trace trace;
  QVERIFY2(scenarios::runScenario(loaded, {}, &trace, &error), error.c_str());
  MainWindow w;
  w.show();
  w.setTrace(trace, QStringLiteral("wolfssl-server"));
  const Timeline& t = *w.timeline();
  int marker = -1;
  for (std::size_t i = 0; i < t.markers.size(); ++i)
    if (t.markers[i].kind == MarkerKind::Violation) marker = static_cast<int>(i);
  QVERIFY(marker >= 0);
  QCOMPARE(t.markers[static_cast<std::size_t>(marker)].lane, t.laneOf("server"));
  QCOMPARE(t.lanes[static_cast<std::size_t>(t.laneOf("server"))].library.rfind("wolfSSL ", 0), std::size_t{0});
  w.selectItem({ItemRef::Type::Marker, marker});
  QVERIFY2(w.detailPane()->titleText().contains(QStringLiteral("last-flight-answered (RFC 6347 \u00a74.2.4)")),
           qPrintable(w.detailPane()->titleText()));
  QVERIFY(w.detailPane()->titleText().contains(QStringLiteral("finding 007")));
}

// Two runs of lost-finished, with and without its rule: the compare window selects the dropped
// datagram in A and its delivered counterpart in B, marks the later differences, and its text
// names the drop first.
void MainWindowTest::compareMarksTheOneDropFirst() {
  const auto run = [](bool with_rule) {
    scenarios::LoadedScenario loaded;
    std::string error;
    if (!scenarios::loadScenarioFile(DTLSIM_SOURCE_DIR "/scenarios/catalog/lost-finished.textproto",
                                     &loaded, &error))
      qFatal("%s", error.c_str());
    if (!with_rule) loaded.scenario.mutable_network()->clear_rules();
    dtlsim::Trace trace;
    if (!scenarios::runScenario(loaded, {}, &trace, &error)) qFatal("%s", error.c_str());
    return trace;
  };
  CompareWindow w;
  w.show();
  QVERIFY(QTest::qWaitForWindowExposed(&w));
  w.setRuns(run(true), "with the rule", run(false), "without");
  const Comparison& c = w.comparison();
  QVERIFY(!c.differences.empty());
  const Difference& first = c.differences.front();
  QCOMPARE(first.kind, Difference::Kind::Fate);
  QCOMPARE(w.timelineA()->datagrams[static_cast<std::size_t>(first.a)].fate, Fate::Dropped);
  QCOMPARE(w.diagramA()->selectedItem(), (ItemRef{ItemRef::Type::Datagram, first.a}));
  QCOMPARE(w.diagramB()->selectedItem(), (ItemRef{ItemRef::Type::Datagram, first.b}));
  QVERIFY2(w.summaryText().find("first difference at 40.000 ms (fate)") != std::string::npos,
           w.summaryText().c_str());
  // Both sides show the same virtual time at their top.
  const auto topTime = [](DiagramView* v) {
    return v->currentLayout().timeForY(v->mapToScene(QPoint(0, 0)).y());
  };
  // Fitted, the whole run shows; zoomed in, it scrolls.
  w.diagramA()->zoomBy(8);
  w.diagramB()->zoomBy(8);
  QVERIFY(w.diagramA()->verticalScrollBar()->maximum() > 0);
  w.diagramA()->verticalScrollBar()->setValue(w.diagramA()->verticalScrollBar()->maximum() / 2);
  QVERIFY(topTime(w.diagramA()) > 0);
  const std::uint64_t a = topTime(w.diagramA()), b = topTime(w.diagramB());
  QVERIFY2((a > b ? a - b : b - a) <= 1000, qPrintable(QStringLiteral("%1 vs %2").arg(a).arg(b)));
}

void MainWindowTest::nextFaultKey() {
  MainWindow w;
  QVERIFY(activate(&w));
  QVERIFY(w.openFile(writeCatalogTrace("lost-finished"), std::nullopt, true));
  QTest::keyClick(&w, Qt::Key_N);
  const ItemRef first = w.diagram()->selectedItem();
  QCOMPARE(first.type, ItemRef::Type::Datagram);
  QCOMPARE(w.timeline()->datagrams[first.index].fate, Fate::Dropped);  // the first fault
  QVERIFY(w.detailPane()->titleText().contains(QStringLiteral("LOST (rule)")));
  QTest::keyClick(&w, Qt::Key_N);
  const ItemRef second = w.diagram()->selectedItem();
  QVERIFY(second.index > first.index);
  QVERIFY(w.timeline()->datagrams[second.index].retransmission);
}

}  // namespace viz

QTEST_MAIN(viz::MainWindowTest)
#include "main_window_test.moc"
