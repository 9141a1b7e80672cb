// QR codes drawn on a <canvas> from qrcode-generator's module matrix (no markup strings, nothing inline), shown as
// an <img> of the canvas's PNG (a data: URL, which the CSP's img-src allows) so that the name is an alt text: an
// aria-label would make Playwright's getByLabel('Name') find "QR code for Renamed…" beside the Name inputs.
import { qrcode } from 'qrcode-generator';

/**
 * An <img> showing `text` as a QR code, with `label` as its alt text. Error correction M; the smallest version that
 * holds the text; a quiet zone of 4 modules as the standard asks.
 */
export function qrImage(text, label, { pixels = 330 } = {}) {
  const code = qrcode(0, 'M');
  // The library's byte mode keeps the low 8 bits of each char: give it UTF-8 bytes, one per char.
  code.addData(String.fromCharCode(...new TextEncoder().encode(text)), 'Byte');
  code.make();
  const modules = code.getModuleCount();
  const quiet = 4;
  const total = modules + quiet * 2;
  const scale = Math.max(2, Math.floor(pixels / total));
  const canvas = document.createElement('canvas');
  canvas.width = total * scale;
  canvas.height = total * scale;
  const ctx = canvas.getContext('2d');
  // Always dark on light, whatever the page's colour scheme: scanners expect it.
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = '#000000';
  for (let row = 0; row < modules; row += 1) {
    for (let col = 0; col < modules; col += 1) {
      if (code.isDark(row, col)) ctx.fillRect((col + quiet) * scale, (row + quiet) * scale, scale, scale);
    }
  }
  const img = document.createElement('img');
  img.className = 'qr';
  img.alt = label;
  img.width = canvas.width;
  img.height = canvas.height;
  img.dataset.qrText = text;
  img.src = canvas.toDataURL('image/png');
  return img;
}
