// viz/app/event_table.h — every trace event in a table: sortable by any column, filtered by
// endpoint, kind and text, its selection linked with the diagram's in both directions.
#pragma once

#include <QAbstractTableModel>
#include <QSortFilterProxyModel>
#include <QWidget>

#include "model/timeline.h"

class QComboBox;
class QLineEdit;
class QTableView;

namespace viz {

// The timeline's event rows as a Qt model. Columns: time, endpoint, kind, event.
class EventTableModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column { kTime, kEndpoint, kKind, kText, kColumnCount };

  using QAbstractTableModel::QAbstractTableModel;
  void setTimeline(const Timeline* timeline);  // not owned
  const Timeline* timeline() const { return timeline_; }

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

 private:
  const Timeline* timeline_ = nullptr;
};

// Filters by endpoint and kind (exact, "" = any) and text (case-insensitive, any column).
class EventFilterModel : public QSortFilterProxyModel {
  Q_OBJECT

 public:
  using QSortFilterProxyModel::QSortFilterProxyModel;
  void setFilters(const QString& endpoint, const QString& kind, const QString& text);

 protected:
  bool filterAcceptsRow(int source_row, const QModelIndex& source_parent) const override;
  bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;

 private:
  QString endpoint_, kind_, text_;
};

class EventTable : public QWidget {
  Q_OBJECT

 public:
  explicit EventTable(QWidget* parent = nullptr);
  void setTimeline(const Timeline* timeline);
  // Selects the first visible row of `ref` without emitting itemSelected.
  void selectItem(const ItemRef& ref);
  // Selects the row of the playback step `row` (an index into Timeline::events).
  void selectEventRow(int row);

  QTableView* view() const { return view_; }
  EventFilterModel* filterModel() const { return filter_; }
  QComboBox* endpointFilter() const { return endpoint_; }
  QComboBox* kindFilter() const { return kind_; }
  QLineEdit* textFilter() const { return text_; }

 signals:
  void itemSelected(const viz::ItemRef& ref, int event_row);
  // A row was double-clicked: the viewer focuses on that row's association.
  void itemActivated(const viz::ItemRef& ref);

 private:
  void applyFilters();
  void onCurrentChanged(const QModelIndex& current);

  EventTableModel* model_;
  EventFilterModel* filter_;
  QTableView* view_;
  QComboBox* endpoint_;
  QComboBox* kind_;
  QLineEdit* text_;
  bool quiet_ = false;  // selection set from outside: do not echo it back
};

}  // namespace viz
