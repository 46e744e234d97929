/** The timeline as PNG too, rendered by resvg (@resvg/resvg-js, loaded only when a PNG is asked for). */
import { ProvError } from '../core/errors.js';

export async function svgToPng(svg: string): Promise<Buffer> {
  let Resvg: new (svg: string, options?: object) => { render(): { asPng(): Buffer } };
  try {
    ({ Resvg } = await import('@resvg/resvg-js'));
  } catch {
    throw new ProvError('options', 'chaos: a PNG timeline needs the package @resvg/resvg-js (npm install @resvg/resvg-js)');
  }
  return new Resvg(svg, { background: 'white', font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' } }).render().asPng();
}
