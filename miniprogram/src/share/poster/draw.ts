// The share poster as the buyer saves it: drawn on a canvas (WeChat's 2d canvas, or the H5
// preview's own), from the same facts the poster page shows. Layout only; no platform calls.
import type { PosterCanvas, PosterContext, PosterImage } from '../../platform'

export const POSTER_WIDTH = 600
export const POSTER_HEIGHT = 960
const PAD = 36
const PHOTO_HEIGHT = 450
const CODE_SIZE = 168

export interface PosterFacts {
  name: string
  price: string
  incoterm: string
  moq: string
  origin: string
  /** What to do with the code, in two short lines. */
  scan: [string, string]
  brand: string
  photoUrl: string | null
  codeUrl: string
}

/** Breaks text into lines no wider than `width`, character by character (Chinese has no spaces), at most `max` lines with "…". */
export function wrapLines(
  text: string,
  width: number,
  measure: (text: string) => number,
  max: number,
): string[] {
  const lines: string[] = []
  let line = ''
  for (const char of Array.from(text)) {
    if (line && measure(line + char) > width) {
      lines.push(line)
      line = char.trimStart()
      if (lines.length === max) break
    } else {
      line += char
    }
  }
  if (lines.length < max && line) lines.push(line)
  else if (lines.length === max && lines.join('').length < Array.from(text).join('').length) {
    let last = lines[max - 1]
    while (last && measure(`${last}…`) > width) last = last.slice(0, -1)
    lines[max - 1] = `${last}…`
  }
  return lines
}

/** The source rectangle that fills a w×h box from an image without stretching it (like CSS cover). */
export function coverCrop(image: { width: number; height: number }, width: number, height: number) {
  const scale = Math.max(width / image.width, height / image.height)
  const sw = width / scale
  const sh = height / scale
  return { sx: (image.width - sw) / 2, sy: (image.height - sh) / 2, sw, sh }
}

const FONT = "-apple-system, 'PingFang SC', 'Noto Sans CJK SC', 'Microsoft YaHei', sans-serif"

function text(
  context: PosterContext,
  value: string,
  x: number,
  y: number,
  size: number,
  color: string,
  bold = false,
) {
  context.font = `${bold ? 'bold ' : ''}${size}px ${FONT}`
  context.fillStyle = color
  context.fillText(value, x, y)
}

function drawCover(
  context: PosterContext,
  image: PosterImage,
  x: number,
  y: number,
  width: number,
  height: number,
) {
  const { sx, sy, sw, sh } = coverCrop(image, width, height)
  context.drawImage(image.source, sx, sy, sw, sh, x, y, width, height)
}

/** Draws the poster and returns its image file (see PosterCanvas.toFile). */
export async function drawPoster(canvas: PosterCanvas, facts: PosterFacts): Promise<string> {
  const { context } = canvas
  const [photo, code] = await Promise.all([
    facts.photoUrl ? canvas.loadImage(facts.photoUrl).catch(() => null) : Promise.resolve(null),
    canvas.loadImage(facts.codeUrl),
  ])
  context.textBaseline = 'top'
  context.textAlign = 'left'
  context.fillStyle = '#ffffff'
  context.fillRect(0, 0, POSTER_WIDTH, POSTER_HEIGHT)
  if (photo) drawCover(context, photo, 0, 0, POSTER_WIDTH, PHOTO_HEIGHT)
  else {
    context.fillStyle = '#e6f2ee'
    context.fillRect(0, 0, POSTER_WIDTH, PHOTO_HEIGHT)
  }

  const inner = POSTER_WIDTH - PAD * 2
  const measure = (value: string) => context.measureText(value).width
  context.font = `bold 32px ${FONT}`
  const nameLines = wrapLines(facts.name, inner, measure, 2)
  context.font = `26px ${FONT}`
  const details = [facts.moq, facts.origin]
    .filter(Boolean)
    .map((line) => wrapLines(line, inner, measure, 1)[0])
  // The text block sits in the middle of the space between the photo and the code, so a
  // one-line name leaves no hole.
  const footer = POSTER_HEIGHT - CODE_SIZE - PAD * 2
  const block = nameLines.length * 44 + 12 + (facts.price ? 62 : 0) + details.length * 40
  let y = PHOTO_HEIGHT + Math.max(24, (footer - PHOTO_HEIGHT - block) / 2)
  for (const line of nameLines) {
    text(context, line, PAD, y, 32, '#1f2329', true)
    y += 44
  }
  y += 12
  if (facts.price) {
    text(context, facts.price, PAD, y, 44, '#e8590c', true)
    if (facts.incoterm) {
      const width = context.measureText(facts.price).width
      text(context, facts.incoterm, PAD + width + 14, y + 14, 24, '#646a73')
    }
    y += 62
  }
  for (const line of details) {
    text(context, line, PAD, y, 26, '#646a73')
    y += 40
  }

  context.strokeStyle = '#e5e6eb'
  context.lineWidth = 2
  context.beginPath()
  context.moveTo(PAD, footer)
  context.lineTo(POSTER_WIDTH - PAD, footer)
  context.stroke()
  context.drawImage(code.source, 0, 0, code.width, code.height, PAD, footer + PAD, CODE_SIZE, CODE_SIZE)
  const textX = PAD + CODE_SIZE + 28
  const textWidth = POSTER_WIDTH - textX - PAD
  let textY = footer + PAD + 36
  context.font = `bold 28px ${FONT}`
  for (const line of facts.scan.flatMap((part) => wrapLines(part, textWidth, measure, 2))) {
    text(context, line, textX, textY, 28, '#1f2329', true)
    textY += 40
  }
  text(context, facts.brand, textX, textY + 12, 24, '#0b6e4f')
  return canvas.toFile()
}
