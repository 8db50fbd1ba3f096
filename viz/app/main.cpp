// dtlsim-viz: the handshake timeline replayer (viz/app/main_window.h). Arguments are parsed
// before Qt starts (exit 2 on a bad one, with a message, even without a display);
// --screenshot renders the window offscreen unless a display was asked for.
#include <QApplication>
#include <QImage>
#include <QPixmap>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "app/compare_window.h"
#include "app/diagram_view.h"
#include "app/main_window.h"
#include "model/command_line.h"
#include "model/trace_source.h"

namespace {

// Renders `window` to `path`; the exit status.
int savePng(QWidget& window, const std::string& path) {
  const QImage image = window.grab().toImage();
  if (!image.save(QString::fromStdString(path), "PNG")) {
    std::fprintf(stderr, "dtlsim-viz: %s: cannot write PNG\n", path.c_str());
    return 1;
  }
  std::printf("%s: %dx%d\n", path.c_str(), image.width(), image.height());
  return 0;
}

int screenshot(viz::MainWindow& window, const viz::CommandLine& cl) {
  if (!window.openFile(QString::fromStdString(cl.input), cl.seed, /*quiet=*/true)) {
    std::fprintf(stderr, "dtlsim-viz: %s\n", window.lastError().toLocal8Bit().constData());
    return 2;
  }
  window.show();
  QApplication::processEvents();
  // The diagram fits itself to the final viewport size, known once the window is shown.
  window.diagram()->fit();
  // Show the detail pane at work: the first lost (else damaged, else retransmitted) datagram.
  if (window.timeline() != nullptr) window.selectItem(viz::firstNotableItem(*window.timeline()));
  QApplication::processEvents();
  return savePng(window, cl.screenshot);
}

// --compare: both runs loaded (or run), the differences printed, then shown or rendered.
int compare(const viz::CommandLine& cl) {
  dtlsim::Trace a, b;
  std::string error;
  if (!viz::loadInput(cl.input, cl.seed, &a, &error) ||
      !viz::loadInput(cl.compare_b, cl.seed_b ? cl.seed_b : cl.seed, &b, &error)) {
    std::fprintf(stderr, "dtlsim-viz: %s\n", error.c_str());
    return 2;
  }
  const auto name = [](const std::string& path, const dtlsim::Trace& t) {
    return path + " (" + t.scenario().name() + " seed " + std::to_string(t.seed()) + ", " +
           t.build_id() + ")";
  };
  viz::CompareWindow window;
  window.resize(cl.width_px, cl.height_px);
  const std::string name_a = name(cl.input, a), name_b = name(cl.compare_b, b);
  window.setRuns(std::move(a), name_a, std::move(b), name_b);
  std::printf("%s", window.summaryText().c_str());
  std::fflush(stdout);
  window.show();
  if (cl.screenshot.empty()) return QApplication::exec();
  QApplication::processEvents();
  window.fit();  // to the final viewport sizes, known once shown
  QApplication::processEvents();
  return savePng(window, cl.screenshot);
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  viz::CommandLine cl;
  std::string error;
  if (!viz::parseCommandLine(args, &cl, &error)) {
    std::fprintf(stderr, "dtlsim-viz: %s\n%s", error.c_str(), viz::usageText().c_str());
    return 2;
  }
  if (cl.help) {
    std::printf("%s", viz::usageText().c_str());
    return 0;
  }
  // A screenshot needs no display: render offscreen unless the user chose a platform.
  if (!cl.screenshot.empty() && std::getenv("QT_QPA_PLATFORM") == nullptr)
    setenv("QT_QPA_PLATFORM", "offscreen", 1);
  int qt_argc = 1;
  QApplication app(qt_argc, argv);
  QApplication::setOrganizationName(QStringLiteral("dtlsim"));
  QApplication::setApplicationName(QStringLiteral("dtlsim-viz"));
  if (!cl.compare_b.empty()) return compare(cl);
  viz::MainWindow window;
  window.resize(cl.width_px, cl.height_px);
  if (!cl.screenshot.empty()) return screenshot(window, cl);
  window.show();
  if (!cl.input.empty()) window.openFile(QString::fromStdString(cl.input), cl.seed);
  return QApplication::exec();
}
