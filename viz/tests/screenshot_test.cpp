// Screenshots of the main window for three catalog runs, written into the build directory
// (VIZ_SCREENSHOT_DIR) and checked not blank; and dtlsim-viz --screenshot run as a user runs
// it. ctest runs this suite twice: on the offscreen platform and on a real X server (Xvfb).
#include <QDir>
#include <QImage>
#include <QProcess>
#include <QSet>
#include <QScrollBar>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

#include "app/diagram_view.h"
#include "app/main_window.h"
#include "app/style.h"

namespace viz {
namespace {

struct PixelStats {
  int distinct_colours = 0;
  double ink_fraction = 0;  // pixels that are not (near) white
  QSet<QRgb> colours;
};

PixelStats stats(const QImage& image, const QRect& region) {
  PixelStats s;
  qint64 ink = 0, total = 0;
  for (int y = region.top(); y <= region.bottom(); ++y)
    for (int x = region.left(); x <= region.right(); ++x) {
      const QRgb c = image.pixel(x, y);
      s.colours.insert(c & 0xffffff);
      ++total;
      if (qRed(c) + qGreen(c) + qBlue(c) < 3 * 235) ++ink;
    }
  s.distinct_colours = static_cast<int>(s.colours.size());
  s.ink_fraction = total ? static_cast<double>(ink) / static_cast<double>(total) : 0;
  return s;
}

// True when some pixel of `region` is within `tolerance` of `wanted` in every channel.
bool hasColour(const PixelStats& s, const QColor& wanted, int tolerance = 12) {
  for (QRgb c : s.colours)
    if (qAbs(qRed(c) - wanted.red()) <= tolerance && qAbs(qGreen(c) - wanted.green()) <= tolerance &&
        qAbs(qBlue(c) - wanted.blue()) <= tolerance)
      return true;
  return false;
}

QString outDir() {
  const QString dir = QStringLiteral(VIZ_SCREENSHOT_DIR);
  QDir().mkpath(dir);
  return dir;
}

// "offscreen" or "xcb": screenshots of both platforms sit side by side.
QString platformSuffix() { return QGuiApplication::platformName(); }

}  // namespace

class ScreenshotTest : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase();
  void catalogRuns_data();
  void catalogRuns();
  void manyClientsFit();
  void commandLineScreenshot();
  void commandLineCompare();
  void commandLineErrors_data();
  void commandLineErrors();

 private:
  QTemporaryDir settings_;
};

void ScreenshotTest::initTestCase() {
  QSettings::setDefaultFormat(QSettings::IniFormat);
  QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settings_.path());
}

void ScreenshotTest::catalogRuns_data() {
  QTest::addColumn<QString>("scenario");
  QTest::addColumn<bool>("lost");
  QTest::addColumn<bool>("retransmits");
  QTest::newRow("lossless") << QStringLiteral("lossless") << false << false;
  QTest::newRow("lost-finished") << QStringLiteral("lost-finished") << true << true;
  // The catalog's MTU fragmentation story: a ~5 KB chain through a 576-byte path.
  QTest::newRow("mtu-fragmentation") << QStringLiteral("mtu-576-large-chain") << false << false;
}

void ScreenshotTest::catalogRuns() {
  QFETCH(QString, scenario);
  QFETCH(bool, lost);
  QFETCH(bool, retransmits);
  MainWindow w;
  w.resize(MainWindow::kDefaultWidth, MainWindow::kDefaultHeight);
  w.show();
  QVERIFY(QTest::qWaitForWindowExposed(&w));
  const QString path = QStringLiteral(DTLSIM_SOURCE_DIR "/scenarios/catalog/") + scenario + QStringLiteral(".textproto");
  QVERIFY2(w.openFile(path, std::nullopt, true), qPrintable(w.lastError()));
  w.diagram()->fit();
  w.selectItem(firstNotableItem(*w.timeline()));
  QCoreApplication::processEvents();
  const QImage shot = w.grab().toImage().convertToFormat(QImage::Format_RGB32);
  const QString file = outDir() + QLatin1Char('/') + scenario + QLatin1Char('-') + platformSuffix() + QStringLiteral(".png");
  QVERIFY(shot.save(file, "PNG"));
  qInfo("wrote %s", qPrintable(file));
  QCOMPARE(shot.size(), QSize(1280, 800));
  QVERIFY(stats(shot, shot.rect()).distinct_colours >= 40);

  // The diagram's viewport, in window coordinates: lanes, arrows and labels are there.
  const QRect viewport(w.diagram()->viewport()->mapTo(&w, QPoint(0, 0)), w.diagram()->viewport()->size());
  QVERIFY(viewport.width() > 600 && viewport.height() > 500);
  const PixelStats diagram = stats(shot, viewport);
  QVERIFY2(diagram.ink_fraction > 0.03, qPrintable(QString::number(diagram.ink_fraction)));
  QVERIFY(diagram.distinct_colours >= 30);
  QVERIFY(hasColour(diagram, style::arrowColor(style::ArrowKind::ClientToServer)));
  QVERIFY(hasColour(diagram, style::arrowColor(style::ArrowKind::ServerToClient)));
  QCOMPARE(hasColour(diagram, style::arrowColor(style::ArrowKind::Lost), 4), lost);
  QCOMPARE(hasColour(diagram, style::arrowColor(style::ArrowKind::Retransmission), 4), retransmits);
  // Each lane is a vertical line of lane colour below its header.
  const Layout& layout = w.diagram()->currentLayout();
  for (double x : layout.lane_x) {
    const QPoint top = w.diagram()->viewport()->mapTo(&w, w.diagram()->mapFromScene(QPointF(x, 60)));
    int lane_pixels = 0;
    for (int y = top.y(); y < viewport.bottom(); ++y)
      for (int dx = -1; dx <= 1; ++dx)
        lane_pixels += hasColour(PixelStats{0, 0, {shot.pixel(top.x() + dx, y) & 0xffffff}}, style::kLaneColor, 30);
    QVERIFY2(lane_pixels > viewport.height() / 3, qPrintable(QString::number(lane_pixels)));
  }
}

// many-clients seed 2 in the default 1280x800 window: every lane (ten clients and the server)
// is inside the diagram's viewport without scrolling sideways, and each client's first arrow
// with it.
void ScreenshotTest::manyClientsFit() {
  MainWindow w;
  w.resize(MainWindow::kDefaultWidth, MainWindow::kDefaultHeight);
  w.show();
  QVERIFY(QTest::qWaitForWindowExposed(&w));
  const QString path = QStringLiteral(DTLSIM_SOURCE_DIR "/scenarios/catalog/many-clients.textproto");
  QVERIFY2(w.openFile(path, std::uint64_t{2}, true), qPrintable(w.lastError()));
  w.diagram()->fit();
  QCoreApplication::processEvents();
  const QImage shot = w.grab().toImage().convertToFormat(QImage::Format_RGB32);
  const QString file = outDir() + QStringLiteral("/many-clients-") + platformSuffix() + QStringLiteral(".png");
  QVERIFY(shot.save(file, "PNG"));
  qInfo("wrote %s", qPrintable(file));

  const Timeline& t = *w.timeline();
  const Layout& layout = w.diagram()->currentLayout();
  QCOMPARE(static_cast<int>(t.lanes.size()), 11);
  const QRect viewport(w.diagram()->viewport()->mapTo(&w, QPoint(0, 0)), w.diagram()->viewport()->size());
  const auto windowX = [&](double scene_x) {
    return w.diagram()->viewport()->mapTo(&w, w.diagram()->mapFromScene(QPointF(scene_x, 60))).x();
  };
  for (std::size_t i = 0; i < t.lanes.size(); ++i) {
    const int x = windowX(layout.lane_x[i]);
    QVERIFY2(x > viewport.left() && x < viewport.right(),
             qPrintable(QString::fromStdString(t.lanes[i].name) + QStringLiteral(" at x=") + QString::number(x)));
  }
  QCOMPARE(w.diagram()->horizontalScrollBar()->maximum(), 0);
  const int server = t.laneOf("server");
  QVERIFY(server >= 0);
  for (std::size_t lane = 0; lane < t.lanes.size(); ++lane) {
    if (static_cast<int>(lane) == server) continue;
    const auto first = std::find_if(t.datagrams.begin(), t.datagrams.end(), [&](const DatagramItem& d) {
      return d.from_lane == static_cast<int>(lane);
    });
    QVERIFY(first != t.datagrams.end());
    const DatagramGeometry& g = layout.datagrams[static_cast<std::size_t>(first - t.datagrams.begin())];
    for (double x : {g.x1, g.x2}) {
      const int wx = windowX(x);
      QVERIFY2(wx >= viewport.left() && wx <= viewport.right(), qPrintable(QString::number(wx)));
    }
  }
  // The server lane is drawn: lane colour below its header.
  const QPoint top = w.diagram()->viewport()->mapTo(&w, w.diagram()->mapFromScene(
      QPointF(layout.lane_x[static_cast<std::size_t>(server)], 60)));
  int lane_pixels = 0;
  for (int y = top.y(); y < viewport.bottom(); ++y)
    for (int dx = -1; dx <= 1; ++dx)
      lane_pixels += hasColour(PixelStats{0, 0, {shot.pixel(top.x() + dx, y) & 0xffffff}}, style::kLaneColor, 30);
  QVERIFY2(lane_pixels > viewport.height() / 3, qPrintable(QString::number(lane_pixels)));

  // Focus on client3's association: its lane and the server's, in wide columns again.
  const double all_lanes_column = layout.lane_column_px;
  w.focusOnLane(t.laneOf("client3"));
  QCoreApplication::processEvents();
  const QImage focus = w.grab().toImage().convertToFormat(QImage::Format_RGB32);
  const QString focus_file = outDir() + QStringLiteral("/many-clients-focus-client3-") + platformSuffix() + QStringLiteral(".png");
  QVERIFY(focus.save(focus_file, "PNG"));
  qInfo("wrote %s", qPrintable(focus_file));
  const Layout& focused = w.diagram()->currentLayout();
  QVERIFY2(focused.lane_column_px >= LayoutOptions{}.marker_label_min_px &&
               focused.lane_column_px > 3 * all_lanes_column,
           qPrintable(QString::number(focused.lane_column_px)));
  int shown = 0;
  for (bool on : focused.lane_shown) shown += on;
  QCOMPARE(shown, 2);
}

void ScreenshotTest::commandLineScreenshot() {
  const QString png = outDir() + QStringLiteral("/cli-lost-finished-") + platformSuffix() + QStringLiteral(".png");
  QFile::remove(png);
  QProcess p;
  p.start(QStringLiteral(DTLSIM_VIZ_EXE),
          {QStringLiteral("--screenshot"), png,
           QStringLiteral(DTLSIM_SOURCE_DIR "/scenarios/catalog/lost-finished.textproto"),
           QStringLiteral("--seed"), QStringLiteral("3")});
  QVERIFY(p.waitForFinished(60000));
  QCOMPARE(p.exitCode(), 0);
  const QImage image(png);
  QCOMPARE(image.size(), QSize(1280, 800));
  QVERIFY(stats(image, image.rect()).distinct_colours >= 40);
  QVERIFY(stats(image, QRect(0, 60, 740, 600)).ink_fraction > 0.03);
}

// dtlsim-viz --compare of one story on two seeds, rendered: both timelines and the text of
// the differences, printed too.
void ScreenshotTest::commandLineCompare() {
  const QString png = outDir() + QStringLiteral("/compare-lost-finished-seeds-1-2-") + platformSuffix() + QStringLiteral(".png");
  QFile::remove(png);
  const QString story = QStringLiteral(DTLSIM_SOURCE_DIR "/scenarios/catalog/lost-finished.textproto");
  QProcess p;
  p.start(QStringLiteral(DTLSIM_VIZ_EXE), {QStringLiteral("--compare"), story, story, QStringLiteral("--seed-b"),
                                           QStringLiteral("2"), QStringLiteral("--screenshot"), png,
                                           QStringLiteral("--size"), QStringLiteral("1600x900")});
  QVERIFY(p.waitForFinished(60000));
  const QString out = QString::fromUtf8(p.readAllStandardOutput());
  QCOMPARE(p.exitCode(), 0);
  QVERIFY2(out.contains(QStringLiteral("(lost-finished seed 1, ")) && out.contains(QStringLiteral("(lost-finished seed 2, ")), qPrintable(out));
  QVERIFY2(out.contains(QStringLiteral("different seeds: bytes not compared")), qPrintable(out));
  QVERIFY2(out.contains(QStringLiteral("first difference at ")), qPrintable(out));
  const QImage image(png);
  QCOMPARE(image.size(), QSize(1600, 900));
  // Two diagrams: ink in the left and in the right half.
  QVERIFY(stats(image, QRect(0, 40, 780, 560)).ink_fraction > 0.03);
  QVERIFY(stats(image, QRect(820, 40, 780, 560)).ink_fraction > 0.03);
}

void ScreenshotTest::commandLineErrors_data() {
  QTest::addColumn<QStringList>("args");
  QTest::addColumn<QString>("message");
  QTest::newRow("unknown option") << QStringList{QStringLiteral("--frobnicate")}
                                  << QStringLiteral("dtlsim-viz: unknown option '--frobnicate'");
  QTest::newRow("bad seed") << QStringList{QStringLiteral("x.textproto"), QStringLiteral("--seed"), QStringLiteral("ten")}
                            << QStringLiteral("dtlsim-viz: --seed: 'ten' is not an unsigned integer");
  QTest::newRow("missing file") << QStringList{QStringLiteral("--screenshot"), QStringLiteral("x.png"), QStringLiteral("/nonexistent.trace")}
                                << QStringLiteral("dtlsim-viz: /nonexistent.trace: cannot read trace");
  QTest::newRow("broken scenario") << QStringList{QStringLiteral("--screenshot"), QStringLiteral("x.png"),
                                                  QStringLiteral(DTLSIM_SOURCE_DIR "/viz/CMakeLists.txt")}
                                   << QStringLiteral("dtlsim-viz: " DTLSIM_SOURCE_DIR "/viz/CMakeLists.txt:");
}

void ScreenshotTest::commandLineErrors() {
  QFETCH(QStringList, args);
  QFETCH(QString, message);
  QProcess p;
  p.start(QStringLiteral(DTLSIM_VIZ_EXE), args);
  QVERIFY(p.waitForFinished(60000));
  QCOMPARE(p.exitCode(), 2);
  const QString err = QString::fromLocal8Bit(p.readAllStandardError());
  QVERIFY2(err.contains(message), qPrintable(err));
}

}  // namespace viz

QTEST_MAIN(viz::ScreenshotTest)
#include "screenshot_test.moc"
