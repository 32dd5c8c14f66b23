/**
 * SVG to PNG for `vae embed --plot FILE.png`. vega renders SVG headless without a canvas; PNG needs
 * a rasteriser, and resvg (a Rust SVG renderer, as prebuilt Node binaries with no install scripts)
 * is the one here: loaded only when a PNG is asked for, text drawn with the system's fonts.
 */

/** Renders SVG text to PNG bytes at `scale` times its size (2: sharp on high-density screens). */
export async function svgToPng(svg: string, scale = 2): Promise<Uint8Array> {
  const { Resvg } = await import('@resvg/resvg-js');
  const r = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
  });
  return r.render().asPng();
}
