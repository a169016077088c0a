// SVG → PNG with resvg (no browser). System fonts are loaded so chart text renders.
import { Resvg } from '@resvg/resvg-js';

export function svgToPng(svg: string): Buffer {
  return new Resvg(svg, { font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' }, background: '#ffffff' }).render().asPng();
}
