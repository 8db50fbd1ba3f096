#include "app/playback_bar.h"

#include <QAction>
#include <QComboBox>
#include <QLabel>
#include <QStyle>
#include <QTimer>
#include <QToolBar>

namespace viz {

PlaybackBar::PlaybackBar(QToolBar* toolbar, QObject* parent) : QObject(parent), toolbar_(toolbar) {
  auto icon = [toolbar](QStyle::StandardPixmap which) { return toolbar->style()->standardIcon(which); };
  timer_ = new QTimer(this);
  connect(timer_, &QTimer::timeout, this, [this] { tick(); });
  start_ = toolbar->addAction(icon(QStyle::SP_MediaSkipBackward), tr("Start"), this, &PlaybackBar::toStart);
  start_->setToolTip(tr("To start (Home)"));
  start_->setShortcut(Qt::Key_Home);
  back_ = toolbar->addAction(icon(QStyle::SP_MediaSeekBackward), tr("Back"), this, &PlaybackBar::stepBack);
  back_->setToolTip(tr("Step back (Left)"));
  back_->setShortcut(Qt::Key_Left);
  play_ = toolbar->addAction(icon(QStyle::SP_MediaPlay), tr("Play"), this, &PlaybackBar::togglePlay);
  play_->setToolTip(tr("Play / pause (Space)"));
  play_->setShortcut(Qt::Key_Space);
  forward_ = toolbar->addAction(icon(QStyle::SP_MediaSeekForward), tr("Forward"), this, &PlaybackBar::stepForward);
  forward_->setToolTip(tr("Step forward (Right)"));
  forward_->setShortcut(Qt::Key_Right);
  end_ = toolbar->addAction(icon(QStyle::SP_MediaSkipForward), tr("End"), this, &PlaybackBar::toEnd);
  end_->setToolTip(tr("To end: show everything (End)"));
  end_->setShortcut(Qt::Key_End);
  for (QAction* a : {start_, back_, play_, forward_, end_}) a->setShortcutContext(Qt::WindowShortcut);
  speed_ = new QComboBox(toolbar);
  speed_->setObjectName(QStringLiteral("speed"));
  speed_->setToolTip(tr("Playback speed ([ slower, ] faster)"));
  for (double s : {0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0}) speed_->addItem(QStringLiteral("%1\u00d7").arg(s), s);
  speed_->setCurrentIndex(2);
  toolbar->addWidget(speed_);
  auto* slower = new QAction(tr("Slower"), toolbar);
  slower->setShortcut(Qt::Key_BracketLeft);
  connect(slower, &QAction::triggered, this, [this] { speed_->setCurrentIndex(std::max(0, speed_->currentIndex() - 1)); });
  auto* faster = new QAction(tr("Faster"), toolbar);
  faster->setShortcut(Qt::Key_BracketRight);
  connect(faster, &QAction::triggered, this,
          [this] { speed_->setCurrentIndex(std::min(speed_->count() - 1, speed_->currentIndex() + 1)); });
  toolbar->addAction(slower);
  toolbar->addAction(faster);
  slower->setVisible(false);  // shortcuts only: the combo box shows the speed
  faster->setVisible(false);
  connect(speed_, &QComboBox::currentIndexChanged, this, [this] {
    if (timer_->isActive()) timer_->start(static_cast<int>(1000 / (kBaseStepsPerSecond * speed())));
  });
  position_ = new QLabel(toolbar);
  position_->setObjectName(QStringLiteral("playbackPosition"));
  position_->setMinimumWidth(170);
  toolbar->addWidget(position_);
  updateState();
}

void PlaybackBar::setPlayback(Playback* playback) {
  pause();
  playback_ = playback;
  updateState();
}

bool PlaybackBar::isPlaying() const { return timer_->isActive(); }

double PlaybackBar::speed() const { return speed_->currentData().toDouble(); }

void PlaybackBar::play() {
  if (playback_ == nullptr) return;
  if (playback_->atEnd()) playback_->setCursor(-1);  // play from the start again
  timer_->start(static_cast<int>(1000 / (kBaseStepsPerSecond * speed())));
  updateState();
  emit cursorChanged();
}

void PlaybackBar::pause() {
  timer_->stop();
  updateState();
}

void PlaybackBar::togglePlay() { isPlaying() ? pause() : play(); }

void PlaybackBar::tick() {
  if (playback_ == nullptr || !playback_->stepForward()) {
    pause();
    return;
  }
  updateState();
  emit cursorChanged();
}

void PlaybackBar::stepForward() {
  pause();
  if (playback_ && playback_->stepForward()) emit cursorChanged();
  updateState();
}

void PlaybackBar::stepBack() {
  pause();
  if (playback_ == nullptr) return;
  // From "everything shown", a step back starts a replay at the last step.
  if (playback_->stepBack()) emit cursorChanged();
  updateState();
}

void PlaybackBar::toStart() {
  pause();
  if (playback_ == nullptr) return;
  playback_->setCursor(-1);
  updateState();
  emit cursorChanged();
}

void PlaybackBar::toEnd() {
  pause();
  if (playback_ == nullptr) return;
  playback_->setCursor(playback_->stepCount() - 1);
  updateState();
  emit cursorChanged();
}

void PlaybackBar::updateState() {
  const bool enabled = playback_ != nullptr && playback_->stepCount() > 0;
  for (QAction* a : {start_, back_, play_, forward_, end_}) a->setEnabled(enabled);
  play_->setText(isPlaying() ? tr("Pause") : tr("Play"));
  play_->setIcon(toolbar_->style()->standardIcon(isPlaying() ? QStyle::SP_MediaPause : QStyle::SP_MediaPlay));
  if (!enabled) {
    position_->setText(tr("no trace"));
    return;
  }
  position_->setText(playback_->atEnd() ? tr("all %1 events").arg(playback_->stepCount())
                                        : tr("step %1 / %2  %3")
                                              .arg(playback_->cursor() + 1)
                                              .arg(playback_->stepCount())
                                              .arg(QString::fromStdString(formatMs(playback_->cursorTime()))));
}

}  // namespace viz
