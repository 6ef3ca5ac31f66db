import { describe, expect, it } from 'vitest'

import { coverCrop, wrapLines } from '../src/share/poster/draw'

// One unit per character: easy widths to reason about.
const measure = (text: string) => Array.from(text).length

describe('wrapLines', () => {
  it('keeps a short name on one line', () => expect(wrapLines('椰子油', 10, measure, 2)).toEqual(['椰子油']))
  it('breaks Chinese between characters', () =>
    expect(wrapLines('冷榨初榨椰子油玻璃瓶', 4, measure, 3)).toEqual(['冷榨初榨', '椰子油玻', '璃瓶']))
  it('ends a cut name with an ellipsis that fits', () =>
    expect(wrapLines('冷榨初榨椰子油玻璃瓶', 4, measure, 2)).toEqual(['冷榨初榨', '椰子油…']))
  it('does not start a line with the space it broke at', () =>
    expect(wrapLines('ab cd', 2, measure, 3)).toEqual(['ab', 'cd']))
})

describe('coverCrop', () => {
  it('crops the sides of a wide photo to fill a 4:3 box', () =>
    expect(coverCrop({ width: 1600, height: 900 }, 400, 300)).toEqual({ sx: 200, sy: 0, sw: 1200, sh: 900 }))
  it('crops top and bottom of a tall photo', () =>
    expect(coverCrop({ width: 300, height: 600 }, 300, 300)).toEqual({ sx: 0, sy: 150, sw: 300, sh: 300 }))
})
