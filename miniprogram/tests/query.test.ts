import { describe, expect, it } from 'vitest'

import {
  activeFilterCount,
  EMPTY_FILTERS,
  filtersFromQuery,
  filtersKey,
  filtersToParams,
  filtersToQuery,
} from '../src/lib/query'

describe('filters to API parameters', () => {
  it('leaves out empty values and the default ordering', () => {
    expect(filtersToParams(EMPTY_FILTERS)).toEqual({})
    expect(
      filtersToParams({
        q: ' 香草  豆 ',
        category: 'spices',
        country: 'fj',
        certification: '',
        ordering: '-published_at',
      }),
    ).toEqual({ q: '香草 豆', category: 'spices', country: 'FJ' })
  })

  it('sends a chosen ordering, drops an unknown one, and adds extra parameters', () => {
    expect(filtersToParams({ ordering: 'name' })).toEqual({ ordering: 'name' })
    expect(filtersToParams({ ordering: 'price' as never })).toEqual({})
    expect(filtersToParams({ certification: 'organic' }, { page_size: 20 })).toEqual({
      certification: 'organic',
      page_size: 20,
    })
  })
})

describe('filters in page query parameters', () => {
  it('writes percent-encoded UTF-8 and reads it back', () => {
    const filters = {
      q: '香草 & 可可',
      category: '12',
      country: 'WS',
      certification: 'organic',
      ordering: '-inquiry_count' as const,
    }
    const query = filtersToQuery(filters)
    expect(query).toBe(
      '?q=%E9%A6%99%E8%8D%89%20%26%20%E5%8F%AF%E5%8F%AF&category=12&country=WS&certification=organic&ordering=-inquiry_count',
    )
    const params = Object.fromEntries(
      query
        .slice(1)
        .split('&')
        .map((pair) => pair.split('=')),
    )
    expect(filtersFromQuery(params)).toEqual(filters)
  })

  it('reads values WeChat left encoded and values the H5 router already decoded', () => {
    expect(filtersFromQuery({ q: '%E9%A6%99%E8%8D%89' }).q).toBe('香草')
    expect(filtersFromQuery({ q: '香草' }).q).toBe('香草')
    expect(filtersFromQuery({ q: '100%纯' }).q).toBe('100%纯')
  })

  it('gives empty filters for no query, and ignores what it does not know', () => {
    expect(filtersFromQuery(undefined)).toEqual(EMPTY_FILTERS)
    expect(filtersFromQuery({ page: '3', ordering: 'price', country: '' })).toEqual(EMPTY_FILTERS)
    expect(filtersToQuery(EMPTY_FILTERS)).toBe('')
  })

  it('names the same filters the same way', () => {
    expect(filtersKey({ country: 'fj', q: 'kava ' })).toBe(
      filtersKey({ q: 'kava', country: 'FJ', ordering: '' }),
    )
    expect(filtersKey({ q: 'kava' })).not.toBe(filtersKey({ q: 'kava', country: 'FJ' }))
  })

  it('counts the chosen filters (not the search nor the ordering)', () => {
    expect(activeFilterCount({ q: 'kava', ordering: 'name' })).toBe(0)
    expect(activeFilterCount({ category: '3', country: 'FJ', certification: 'organic' })).toBe(3)
  })
})
