// viz/app/detail_pane.h — what the selected item is: for a datagram its path, fate and faults,
// the tree of its records and handshake fragments (datagram_fields.h) and a hex dump in which
// the selected field's bytes are highlighted; for a marker its event.
#pragma once

#include <QWidget>
#include <string>

#include "model/timeline.h"

class QLabel;
class QPlainTextEdit;
class QTreeWidget;
class QTreeWidgetItem;

namespace viz {

class DetailPane : public QWidget {
  Q_OBJECT

 public:
  explicit DetailPane(QWidget* parent = nullptr);

  // Shows `ref` of `timeline` (not owned; must stay alive while shown). None clears.
  void showItem(const Timeline* timeline, const ItemRef& ref);
  void clear();

  // For tests and the status bar: the title text, the hex dump, the highlighted dump text.
  QString titleText() const;
  QString hexText() const;
  QString highlightedText() const;
  QTreeWidget* tree() const { return tree_; }

 private:
  void showDatagram(const Timeline& t, const DatagramItem& d);
  void onFieldSelected(QTreeWidgetItem* item);
  void setDump(const std::string* bytes);

  QLabel* title_;
  QTreeWidget* tree_;
  QPlainTextEdit* hex_;
  const std::string* dumped_ = nullptr;  // the bytes shown in hex_ (owned by the timeline)
  std::string sent_copy_, delivered_copy_;  // the datagram's bytes, stable while shown
};

}  // namespace viz
