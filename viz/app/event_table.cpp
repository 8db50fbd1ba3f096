#include "app/event_table.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QTableView>
#include <QVBoxLayout>
#include <set>

namespace viz {

// ---- EventTableModel ------------------------------------------------------------------------

void EventTableModel::setTimeline(const Timeline* timeline) {
  beginResetModel();
  timeline_ = timeline;
  endResetModel();
}

int EventTableModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() || timeline_ == nullptr ? 0 : static_cast<int>(timeline_->events.size());
}

int EventTableModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : kColumnCount;
}

QVariant EventTableModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || timeline_ == nullptr) return {};
  const EventRow& row = timeline_->events[static_cast<std::size_t>(index.row())];
  if (role == Qt::DisplayRole) {
    switch (index.column()) {
      case kTime: return QString::fromStdString(formatMs(row.time_us)).chopped(3);
      case kEndpoint: return QString::fromStdString(row.endpoint);
      case kKind: return QString::fromStdString(row.kind);
      case kText: return QString::fromStdString(row.text);
      default: return {};
    }
  }
  if (role == Qt::TextAlignmentRole && index.column() == kTime)
    return static_cast<int>(Qt::AlignRight | Qt::AlignVCenter);
  if (role == Qt::ToolTipRole && index.column() == kText) return QString::fromStdString(row.text);
  if (role == Qt::ForegroundRole && (row.kind == "drop" || row.kind == "error" || row.kind == "alert"))
    return QColor(183, 28, 28);
  return {};
}

QVariant EventTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case kTime: return tr("time ms");
    case kEndpoint: return tr("endpoint");
    case kKind: return tr("kind");
    case kText: return tr("event");
    default: return {};
  }
}

// ---- EventFilterModel -----------------------------------------------------------------------

void EventFilterModel::setFilters(const QString& endpoint, const QString& kind, const QString& text) {
  endpoint_ = endpoint;
  kind_ = kind;
  text_ = text;
  invalidateFilter();
}

bool EventFilterModel::filterAcceptsRow(int source_row, const QModelIndex& source_parent) const {
  const QAbstractItemModel* m = sourceModel();
  auto text = [&](int column) { return m->index(source_row, column, source_parent).data().toString(); };
  if (!endpoint_.isEmpty() && text(EventTableModel::kEndpoint) != endpoint_) return false;
  if (!kind_.isEmpty() && text(EventTableModel::kKind) != kind_) return false;
  if (text_.isEmpty()) return true;
  for (int c = 0; c < EventTableModel::kColumnCount; ++c)
    if (text(c).contains(text_, Qt::CaseInsensitive)) return true;
  return false;
}

bool EventFilterModel::lessThan(const QModelIndex& left, const QModelIndex& right) const {
  // Rows are in time order already: the time column sorts by row (ties keep trace order);
  // other columns by text, then by time.
  if (left.column() == EventTableModel::kTime) return left.row() < right.row();
  const int c = QString::localeAwareCompare(left.data().toString(), right.data().toString());
  return c != 0 ? c < 0 : left.row() < right.row();
}

// ---- EventTable -----------------------------------------------------------------------------

EventTable::EventTable(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("eventTable"));
  model_ = new EventTableModel(this);
  filter_ = new EventFilterModel(this);
  filter_->setSourceModel(model_);
  view_ = new QTableView(this);
  view_->setObjectName(QStringLiteral("eventView"));
  view_->setModel(filter_);
  view_->setSortingEnabled(true);
  view_->sortByColumn(EventTableModel::kTime, Qt::AscendingOrder);
  view_->setSelectionBehavior(QAbstractItemView::SelectRows);
  view_->setSelectionMode(QAbstractItemView::SingleSelection);
  view_->verticalHeader()->hide();
  view_->verticalHeader()->setDefaultSectionSize(20);
  view_->horizontalHeader()->setStretchLastSection(true);
  view_->setWordWrap(false);
  view_->setAlternatingRowColors(true);
  endpoint_ = new QComboBox(this);
  endpoint_->setObjectName(QStringLiteral("endpointFilter"));
  kind_ = new QComboBox(this);
  kind_->setObjectName(QStringLiteral("kindFilter"));
  text_ = new QLineEdit(this);
  text_->setObjectName(QStringLiteral("textFilter"));
  text_->setPlaceholderText(tr("filter text"));
  text_->setClearButtonEnabled(true);
  auto* filters = new QHBoxLayout;
  filters->addWidget(endpoint_);
  filters->addWidget(kind_);
  filters->addWidget(text_, 1);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addLayout(filters);
  layout->addWidget(view_);
  connect(endpoint_, &QComboBox::currentIndexChanged, this, [this] { applyFilters(); });
  connect(kind_, &QComboBox::currentIndexChanged, this, [this] { applyFilters(); });
  connect(text_, &QLineEdit::textChanged, this, [this] { applyFilters(); });
  connect(view_, &QTableView::doubleClicked, this, [this](const QModelIndex& index) {
    if (!index.isValid() || model_->timeline() == nullptr) return;
    const int row = filter_->mapToSource(index).row();
    emit itemActivated(model_->timeline()->events[static_cast<std::size_t>(row)].item);
  });
  connect(view_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
          [this](const QModelIndex& current) { onCurrentChanged(current); });
  setTimeline(nullptr);
}

void EventTable::setTimeline(const Timeline* timeline) {
  quiet_ = true;
  model_->setTimeline(timeline);
  endpoint_->clear();
  kind_->clear();
  endpoint_->addItem(tr("all endpoints"), QString());
  kind_->addItem(tr("all kinds"), QString());
  if (timeline != nullptr) {
    std::set<std::string> endpoints, kinds;  // sorted: the combos read alphabetically
    for (const EventRow& row : timeline->events) {
      endpoints.insert(row.endpoint);
      kinds.insert(row.kind);
    }
    for (const std::string& e : endpoints)
      if (!e.empty()) endpoint_->addItem(QString::fromStdString(e), QString::fromStdString(e));
    for (const std::string& k : kinds) kind_->addItem(QString::fromStdString(k), QString::fromStdString(k));
  }
  text_->clear();
  applyFilters();
  view_->resizeColumnToContents(EventTableModel::kTime);
  view_->resizeColumnToContents(EventTableModel::kEndpoint);
  view_->resizeColumnToContents(EventTableModel::kKind);
  quiet_ = false;
}

void EventTable::applyFilters() {
  filter_->setFilters(endpoint_->currentData().toString(), kind_->currentData().toString(), text_->text());
}

void EventTable::onCurrentChanged(const QModelIndex& current) {
  if (quiet_ || !current.isValid() || model_->timeline() == nullptr) return;
  const int row = filter_->mapToSource(current).row();
  emit itemSelected(model_->timeline()->events[static_cast<std::size_t>(row)].item, row);
}

void EventTable::selectEventRow(int row) {
  if (model_->timeline() == nullptr || row < 0) return;
  const QModelIndex proxy = filter_->mapFromSource(model_->index(row, 0));
  quiet_ = true;
  if (proxy.isValid()) {
    view_->selectionModel()->setCurrentIndex(
        proxy, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    view_->scrollTo(proxy);
  } else {
    view_->selectionModel()->clearSelection();
  }
  quiet_ = false;
}

void EventTable::selectItem(const ItemRef& ref) {
  const Timeline* t = model_->timeline();
  if (t == nullptr) return;
  // The first row of the item that the filter lets through (nothing for no item: rows without
  // an item would otherwise match it).
  for (std::size_t i = 0; ref.type != ItemRef::Type::None && i < t->events.size(); ++i) {
    if (!(t->events[i].item == ref)) continue;
    if (filter_->mapFromSource(model_->index(static_cast<int>(i), 0)).isValid()) {
      selectEventRow(static_cast<int>(i));
      return;
    }
  }
  quiet_ = true;
  view_->selectionModel()->clearSelection();
  quiet_ = false;
}

}  // namespace viz
