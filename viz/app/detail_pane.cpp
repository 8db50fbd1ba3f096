#include "app/detail_pane.h"

#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QTextBlock>
#include <QTextDocument>
#include <QTreeWidget>
#include <QVBoxLayout>

#include "app/style.h"
#include "model/datagram_fields.h"
#include "model/hex_dump.h"

namespace viz {
namespace {

// Tree item roles: the field's byte range and which bytes (0 sent, 1 delivered) it is in.
constexpr int kOffsetRole = Qt::UserRole;
constexpr int kLengthRole = Qt::UserRole + 1;
constexpr int kBytesRole = Qt::UserRole + 2;

void addFields(QTreeWidgetItem* parent, const std::vector<Field>& fields, int which) {
  for (const Field& f : fields) {
    auto* item = new QTreeWidgetItem(parent);
    item->setText(0, QString::fromStdString(f.name));
    item->setText(1, QString::fromStdString(f.value));
    item->setText(2, QStringLiteral("%1+%2").arg(f.offset).arg(f.length));
    item->setData(0, kOffsetRole, static_cast<qulonglong>(f.offset));
    item->setData(0, kLengthRole, static_cast<qulonglong>(f.length));
    item->setData(0, kBytesRole, which);
    addFields(item, f.children, which);
  }
}

QString html(const std::string& s) { return QString::fromStdString(s).toHtmlEscaped(); }

}  // namespace

DetailPane::DetailPane(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("detailPane"));
  title_ = new QLabel(this);
  title_->setObjectName(QStringLiteral("detailTitle"));
  title_->setWordWrap(true);
  title_->setTextFormat(Qt::RichText);
  title_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  title_->setAlignment(Qt::AlignTop | Qt::AlignLeft);
  tree_ = new QTreeWidget(this);
  tree_->setObjectName(QStringLiteral("detailTree"));
  tree_->setColumnCount(3);
  tree_->setHeaderLabels({tr("field"), tr("value"), tr("bytes")});
  tree_->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
  tree_->header()->setSectionResizeMode(1, QHeaderView::Stretch);
  tree_->header()->setSectionResizeMode(2, QHeaderView::ResizeToContents);
  tree_->header()->setStretchLastSection(false);
  tree_->setUniformRowHeights(true);
  hex_ = new QPlainTextEdit(this);
  hex_->setObjectName(QStringLiteral("hexDump"));
  hex_->setReadOnly(true);
  hex_->setFont(style::monoFont());
  hex_->setLineWrapMode(QPlainTextEdit::NoWrap);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  layout->addWidget(title_);
  layout->addWidget(tree_, 3);
  layout->addWidget(hex_, 2);
  connect(tree_, &QTreeWidget::currentItemChanged, this,
          [this](QTreeWidgetItem* current) { onFieldSelected(current); });
  clear();
}

void DetailPane::clear() {
  tree_->clear();
  hex_->clear();
  dumped_ = nullptr;
  title_->setText(tr("<i>Select a datagram or an event to see its records and bytes.</i>"));
}

void DetailPane::showItem(const Timeline* timeline, const ItemRef& ref) {
  clear();
  if (timeline == nullptr) return;
  if (ref.type == ItemRef::Type::Datagram && ref.index >= 0 &&
      ref.index < static_cast<int>(timeline->datagrams.size())) {
    showDatagram(*timeline, timeline->datagrams[static_cast<std::size_t>(ref.index)]);
  } else if (ref.type == ItemRef::Type::Marker && ref.index >= 0 &&
             ref.index < static_cast<int>(timeline->markers.size())) {
    const MarkerItem& m = timeline->markers[static_cast<std::size_t>(ref.index)];
    const std::string lane = m.lane >= 0 ? timeline->lanes[static_cast<std::size_t>(m.lane)].name : "?";
    title_->setText(QStringLiteral("<b>%1</b> at %2 on <b>%3</b>%4")
                        .arg(html(m.text), html(formatMs(m.time_us)), html(lane),
                             m.detail.empty() ? QString() : QStringLiteral("<br>") + html(m.detail)));
  }
}

void DetailPane::showDatagram(const Timeline& t, const DatagramItem& d) {
  auto laneName = [&](int lane) { return lane >= 0 ? t.lanes[static_cast<std::size_t>(lane)].name : std::string("?"); };
  std::string fate;
  switch (d.fate) {
    case Fate::Delivered: fate = "delivered at " + formatMs(d.end_us) + " (after " + formatMs(d.end_us - d.send_us) + ")"; break;
    case Fate::Dropped: fate = "LOST (" + d.drop_reason + ") at " + formatMs(d.end_us); break;
    case Fate::InFlight: fate = "still in flight when the run ended"; break;
  }
  QString tags;
  for (const std::string& tag : d.tags()) tags += (tags.isEmpty() ? QString() : QStringLiteral(", ")) + html(tag);
  QString text = QStringLiteral("<b>#%1%2</b> %3 \u2192 %4, %5 B<br>sent at %6, %7")
                     .arg(d.id)
                     .arg(d.copy ? QStringLiteral(" copy %1").arg(d.copy) : QString())
                     .arg(html(laneName(d.from_lane)), html(laneName(d.to_lane)))
                     .arg(d.size_bytes)
                     .arg(html(formatMs(d.send_us)), html(fate));
  text += QStringLiteral("<br>%1").arg(html(d.label()));
  if (!tags.isEmpty()) text += QStringLiteral("<br><span style='color:#b71c1c'>%1</span>").arg(tags);
  title_->setText(text);

  sent_copy_ = d.sent_bytes;
  delivered_copy_ = d.delivered_bytes;
  auto* sent = new QTreeWidgetItem(tree_);
  sent->setText(0, tr("sent"));
  sent->setText(1, QStringLiteral("%1 B").arg(sent_copy_.size()));
  sent->setData(0, kOffsetRole, 0ULL);
  sent->setData(0, kLengthRole, static_cast<qulonglong>(sent_copy_.size()));
  sent->setData(0, kBytesRole, 0);
  addFields(sent, datagramFields(sent_copy_), 0);
  sent->setExpanded(true);
  for (int i = 0; i < sent->childCount(); ++i) sent->child(i)->setExpanded(true);
  // What the receiver got, when the network changed it (corruption, truncation).
  if (d.fate == Fate::Delivered && !delivered_copy_.empty() && delivered_copy_ != sent_copy_) {
    auto* got = new QTreeWidgetItem(tree_);
    got->setText(0, tr("delivered (damaged)"));
    got->setText(1, QStringLiteral("%1 B").arg(delivered_copy_.size()));
    got->setData(0, kOffsetRole, 0ULL);
    got->setData(0, kLengthRole, static_cast<qulonglong>(delivered_copy_.size()));
    got->setData(0, kBytesRole, 1);
    addFields(got, datagramFields(delivered_copy_), 1);
    got->setExpanded(true);
  }
  // Start on the first record: its bytes are highlighted at once.
  tree_->setCurrentItem(sent->childCount() > 0 ? sent->child(0) : sent);
}

void DetailPane::setDump(const std::string* bytes) {
  if (bytes == dumped_) return;
  dumped_ = bytes;
  hex_->setPlainText(bytes ? QString::fromLatin1(hexDump(*bytes).c_str()) : QString());
}

void DetailPane::onFieldSelected(QTreeWidgetItem* item) {
  if (item == nullptr) return;
  const std::string* bytes = item->data(0, kBytesRole).toInt() == 1 ? &delivered_copy_ : &sent_copy_;
  setDump(bytes);
  const auto offset = static_cast<std::size_t>(item->data(0, kOffsetRole).toULongLong());
  const auto length = static_cast<std::size_t>(item->data(0, kLengthRole).toULongLong());
  QList<QTextEdit::ExtraSelection> selections;
  QTextCharFormat format;
  format.setBackground(style::kSelectionColor);
  format.setForeground(Qt::black);
  for (const TextSpan& span : hexSpans(offset, length, bytes->size())) {
    QTextEdit::ExtraSelection sel;
    sel.cursor = QTextCursor(hex_->document());
    sel.cursor.setPosition(static_cast<int>(span.start));
    sel.cursor.setPosition(static_cast<int>(span.start + span.length), QTextCursor::KeepAnchor);
    sel.format = format;
    selections.push_back(sel);
  }
  hex_->setExtraSelections(selections);
  if (!selections.isEmpty()) {
    QTextCursor c = selections.front().cursor;
    c.clearSelection();
    hex_->setTextCursor(c);
    hex_->ensureCursorVisible();
  }
}

QString DetailPane::titleText() const {
  QTextDocument doc;
  doc.setHtml(title_->text());
  return doc.toPlainText();
}

QString DetailPane::hexText() const { return hex_->toPlainText(); }

QString DetailPane::highlightedText() const {
  QString out;
  for (const QTextEdit::ExtraSelection& sel : hex_->extraSelections())
    out += (out.isEmpty() ? QString() : QStringLiteral("|")) + sel.cursor.selectedText();
  return out;
}

}  // namespace viz
