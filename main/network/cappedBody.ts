// Reads a fetch Response's body up to a size limit, for answers from servers Cordon does
// not fully trust (the collector, an agreement's host): a larger one is cut off unread.

/** The body's bytes, or null when it is (or announces itself as) larger than `max`. */
export async function readCappedBytes(response: Response, max: number): Promise<Uint8Array | null> {
  if (Number(response.headers.get('content-length') ?? 0) > max) return null;
  if (response.body === null) return new Uint8Array();
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}
