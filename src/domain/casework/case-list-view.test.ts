import { describe, expect, it } from 'vitest';
import {
  caseAriaSort,
  caseFiltersOn,
  caseListQuery,
  caseSortFor,
  caseViewWithout,
  parseCaseListView,
} from './case-list-view.ts';

const UNITS = ['cumbria-cyber', 'kent-cyber'];

describe('the cases list view', () => {
  it('reads what it knows from a query and writes it back canonically, naming its order', () => {
    const view = parseCaseListView(
      { restricted: 'yes', mine: 'yes', unit: 'kent-cyber', status: 'closed', sort: 'title-desc' },
      UNITS,
    );
    expect(view).toEqual({
      status: 'closed',
      unit: 'kent-cyber',
      mine: true,
      restricted: true,
      sort: 'title-desc',
    });
    expect(caseListQuery(view, 2)).toBe(
      'status=closed&unit=kent-cyber&mine=yes&restricted=yes&sort=title-desc&page=2',
    );
    expect(caseListQuery(parseCaseListView({}, UNITS))).toBe('sort=status');
  });

  it('ignores what it does not know: other values, units the list does not hold, repeated or nested parameters', () => {
    for (const query of [
      { status: 'pending', sort: 'DROP', mine: 'true', restricted: 'no', unit: 'met-cyber' },
      { status: ['open', 'closed'], sort: ['title'], unit: { x: 'y' } },
      { status: 'constructor', sort: 'toString', unit: '__proto__' },
    ])
      expect(parseCaseListView(query, UNITS)).toEqual({
        status: undefined,
        unit: undefined,
        mine: false,
        restricted: false,
        sort: 'status',
      });
  });

  it('shows the filters on, and takes one or all of them off, keeping the tab and the order', () => {
    const view = parseCaseListView(
      { status: 'open', unit: 'cumbria-cyber', restricted: 'yes', sort: 'oldest' },
      UNITS,
    );
    expect(caseFiltersOn(view)).toEqual(['unit', 'restricted']);
    expect(caseViewWithout(view, 'unit')).toMatchObject({
      unit: undefined,
      restricted: true,
      status: 'open',
    });
    expect(caseListQuery(caseViewWithout(view, 'all'))).toBe('status=open&sort=oldest');
  });

  it('sorts a column on its first press and reverses it on the next, saying which way', () => {
    expect(caseSortFor('title', 'status')).toBe('title');
    expect(caseSortFor('title', 'title')).toBe('title-desc');
    expect(caseSortFor('title', 'title-desc')).toBe('title');
    expect(caseSortFor('opened', 'status')).toBe('oldest');
    expect(caseSortFor('opened', 'oldest')).toBe('newest');
    expect(caseAriaSort('opened', 'newest')).toBe('descending');
    expect(caseAriaSort('status', 'status')).toBe('ascending');
    expect(caseAriaSort('title', 'status')).toBe('none');
  });
});
