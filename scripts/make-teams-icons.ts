import fs from 'node:fs';
import path from 'node:path';
import { encodePng, ICON_SIZES, TEAMS_DIR } from '../src/channels/teamsPackage';

/**
 * Draws the Teams app icons without an image library and writes them to teams/:
 *  - color.png   192×192, opaque: a white speech bubble with "DLA" on the operator colour;
 *  - outline.png  32×32, the same bubble in white on a transparent background.
 * Usage (after `npm run build`): node dist/scripts/make-teams-icons.js [#rrggbb] [outDir]
 */

/** A shape answers "is this point (in pixels, continuous) inside?". */
type Shape = (x: number, y: number) => boolean;

const clamp = (v: number, lo: number, hi: number): number => Math.min(Math.max(v, lo), hi);

const roundedRect = (x0: number, y0: number, x1: number, y1: number, r: number): Shape => (x, y) => {
  if (x < x0 || x > x1 || y < y0 || y > y1) return false;
  const cx = clamp(x, x0 + r, x1 - r);
  const cy = clamp(y, y0 + r, y1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
};

const triangle = (ax: number, ay: number, bx: number, by: number, cx: number, cy: number): Shape => (x, y) => {
  const side = (px: number, py: number, qx: number, qy: number): number => (qx - px) * (y - py) - (qy - py) * (x - px);
  const [d1, d2, d3] = [side(ax, ay, bx, by), side(bx, by, cx, cy), side(cx, cy, ax, ay)];
  return (d1 >= 0 && d2 >= 0 && d3 >= 0) || (d1 <= 0 && d2 <= 0 && d3 <= 0);
};

const union = (...shapes: Shape[]): Shape => (x, y) => shapes.some((s) => s(x, y));
const minus = (a: Shape, b: Shape): Shape => (x, y) => a(x, y) && !b(x, y);

/** Pixel-font glyphs: 5×7 for the colour icon, 3×5 for the outline. */
const FONT_5x7: Record<string, string[]> = {
  D: ['####.', '#...#', '#...#', '#...#', '#...#', '#...#', '####.'],
  L: ['#....', '#....', '#....', '#....', '#....', '#....', '#####'],
  A: ['.###.', '#...#', '#...#', '#####', '#...#', '#...#', '#...#'],
};
const FONT_3x5: Record<string, string[]> = {
  D: ['##.', '#.#', '#.#', '#.#', '##.'],
  L: ['#..', '#..', '#..', '#..', '###'],
  A: ['.#.', '#.#', '###', '#.#', '#.#'],
};

/** Text drawn with square "pixels" of `cell` size, one empty column between letters. */
function pixelText(text: string, font: Record<string, string[]>, left: number, top: number, cell: number): Shape {
  const glyphWidth = font[text[0]][0].length;
  return (x, y) => {
    const col = Math.floor((x - left) / cell);
    const row = Math.floor((y - top) / cell);
    if (col < 0 || row < 0) return false;
    const letter = text[Math.floor(col / (glyphWidth + 1))];
    const glyph = letter ? font[letter] : undefined;
    return glyph?.[row]?.[col % (glyphWidth + 1)] === '#';
  };
}

type Rgba = [number, number, number, number];

/** Paints each pixel from `colorAt`, averaged over samples×samples points (anti-aliasing). */
function render(size: number, samples: number, colorAt: (x: number, y: number) => Rgba): Buffer {
  const rgba = Buffer.alloc(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const sum = [0, 0, 0, 0];
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const c = colorAt(px + (sx + 0.5) / samples, py + (sy + 0.5) / samples);
          for (let k = 0; k < 4; k++) sum[k] += c[k];
        }
      }
      rgba.set(sum.map((v) => Math.round(v / samples ** 2)), (py * size + px) * 4);
    }
  }
  return rgba;
}

function hexToRgba(hex: string): Rgba {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255, 255];
}

const WHITE: Rgba = [255, 255, 255, 255];
const TRANSPARENT: Rgba = [0, 0, 0, 0];

export function colorIcon(hex: string): Buffer {
  const size = ICON_SIZES.color;
  const background = hexToRgba(hex);
  // Teams crops the icon into a rounded square: keep the symbol in the central ~110 px.
  const bubble = union(roundedRect(44, 46, 148, 118, 18), triangle(60, 112, 84, 112, 54, 140));
  const letters = pixelText('DLA', FONT_5x7, 54, 65, 5); // 3 × 25 px letters + 2 × 5 px gaps = 85 px wide
  const rgba = render(size, 4, (x, y) => (letters(x, y) ? background : bubble(x, y) ? WHITE : background));
  return encodePng({ width: size, height: size, rgba });
}

export function outlineIcon(): Buffer {
  const size = ICON_SIZES.outline;
  // A 2 px bubble outline with a filled tail, and "DLA" in a 3×5 font; no anti-aliasing so
  // that every pixel is either pure white or fully transparent.
  const bubble = minus(union(roundedRect(3, 4, 29, 24, 5), triangle(8, 23, 15, 23, 6, 30)), roundedRect(5, 6, 27, 22, 3));
  const letters = pixelText('DLA', FONT_3x5, 10.5, 11.5, 1);
  const rgba = render(size, 1, (x, y) => (bubble(x, y) || letters(x, y) ? WHITE : TRANSPARENT));
  return encodePng({ width: size, height: size, rgba });
}

function main(): void {
  const [hex = '#1f4e79', outDir = TEAMS_DIR] = process.argv.slice(2);
  if (!/^#[0-9a-fA-F]{6}$/.test(hex)) {
    console.error(`The colour must look like #1f4e79 (got "${hex}")`);
    process.exitCode = 1;
    return;
  }
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, 'color.png'), colorIcon(hex));
  fs.writeFileSync(path.join(outDir, 'outline.png'), outlineIcon());
  console.log(`Wrote ${path.join(outDir, 'color.png')} and ${path.join(outDir, 'outline.png')}`);
}

if (require.main === module) main();
