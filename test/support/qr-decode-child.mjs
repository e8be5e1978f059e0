// Decodes the SVGs sent by qr-decode-batch.ts with qr-decode.ts's decoder, in a
// process of its own: jsQR runs several times slower inside Jest's VM context
// (each of its global look-ups goes through the context), and a spec that reads
// back a thousand codes would take minutes there.
const { decodeQrSvg } = await import('./qr-decode.ts');

process.once('message', (svgs) => {
  const texts = svgs.map((svg) => decodeQrSvg(svg) ?? null);
  process.send(texts, () => process.disconnect());
});
