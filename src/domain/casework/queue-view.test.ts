import { describe, expect, it } from 'vitest';
import {
  ariaSort,
  choosesView,
  parseQueueView,
  queueViewQuery,
  selectedFilters,
  sortFor,
  withoutFilter,
} from './queue-view.ts';

describe('the queue view', () => {
  it('reads what it knows from a query and writes it back canonically, naming its order', () => {
    const view = parseQueueView({
      victim: 'yes',
      urgent: 'yes',
      category: 'malware',
      status: 'received',
      sort: 'newest',
    });
    expect(queueViewQuery(view)).toBe('status=received&category=malware&urgent=yes&victim=yes&sort=newest');
    expect(queueViewQuery(view, 3)).toBe(`${queueViewQuery(view)}&page=3`);
    expect(queueViewQuery(parseQueueView({}))).toBe('sort=priority');
  });

  it('ignores what it does not know, and values given twice', () => {
    expect(
      parseQueueView({
        status: 'open<b>',
        category: 'nope',
        sort: 'drop',
        urgent: 'true',
        vulnerable: ['yes', 'yes'],
      }),
    ).toEqual({
      status: undefined,
      category: undefined,
      urgent: false,
      vulnerable: false,
      victimNews: false,
      sort: 'priority',
    });
  });

  it('tells a chosen view from a visit (a page number, a language or a banner chooses nothing)', () => {
    expect(choosesView({ sort: 'priority' })).toBe(true);
    expect(choosesView({ category: '' })).toBe(true);
    expect(choosesView({ page: '2', lng: 'cy', transferred: '1' })).toBe(false);
  });

  it('removes one filter or all of them, keeping the tab and the order', () => {
    const view = parseQueueView({
      status: 'assessed',
      category: 'malware',
      vulnerable: 'yes',
      sort: 'oldest',
    });
    expect(selectedFilters(view).map((s) => s.filter)).toEqual(['category', 'vulnerable']);
    expect(queueViewQuery(withoutFilter(view, 'category'))).toBe(
      'status=assessed&vulnerable=yes&sort=oldest',
    );
    expect(queueViewQuery(withoutFilter(view, 'all'))).toBe('status=assessed&sort=oldest');
  });

  it('sorts a column one way, then the other; aria-sort says which', () => {
    expect(sortFor('received', 'priority')).toBe('oldest');
    expect(sortFor('received', 'oldest')).toBe('newest');
    expect(sortFor('reference', 'reference')).toBe('reference-desc');
    expect(sortFor('status', 'newest')).toBe('status');
    expect(sortFor('flags', 'status')).toBe('priority');
    expect(ariaSort('received', 'newest')).toBe('descending');
    expect(ariaSort('status', 'status')).toBe('ascending');
    expect(ariaSort('flags', 'priority')).toBe('descending');
    expect(ariaSort('reference', 'priority')).toBe('none');
  });
});
