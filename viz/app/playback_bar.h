// viz/app/playback_bar.h — play, pause, step forward and back, jump to start or end, speed.
// It drives a model Playback (viz/model/playback.h) with a QTimer: the only wall clock in
// dtlsim-viz, and it only decides when the next step is shown, never what is shown.
#pragma once

#include <QObject>

#include "model/playback.h"

class QAction;
class QComboBox;
class QLabel;
class QTimer;
class QToolBar;

namespace viz {

class PlaybackBar : public QObject {
  Q_OBJECT

 public:
  // Adds its actions and widgets to `toolbar` (owned by the caller).
  PlaybackBar(QToolBar* toolbar, QObject* parent);

  void setPlayback(Playback* playback);  // not owned; nullptr disables
  bool isPlaying() const;
  double speed() const;  // steps per second / kBaseStepsPerSecond

  QAction* playAction() const { return play_; }
  QAction* stepForwardAction() const { return forward_; }
  QAction* stepBackAction() const { return back_; }
  QAction* toStartAction() const { return start_; }
  QAction* toEndAction() const { return end_; }
  QComboBox* speedBox() const { return speed_; }

  static constexpr double kBaseStepsPerSecond = 4;

 public slots:
  void play();
  void pause();
  void togglePlay();
  void stepForward();
  void stepBack();
  void toStart();
  void toEnd();

 signals:
  // The cursor moved (by a step, a jump, or the timer).
  void cursorChanged();

 private:
  void tick();
  void updateState();

  QToolBar* toolbar_;
  Playback* playback_ = nullptr;
  QTimer* timer_;
  QAction *play_, *forward_, *back_, *start_, *end_;
  QComboBox* speed_;
  QLabel* position_;
};

}  // namespace viz
