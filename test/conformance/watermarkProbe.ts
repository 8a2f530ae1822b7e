// Reads what the watermark layer draws, through CDP, which pierces the closed shadow
// root the page itself cannot open.
import type { Page } from '@playwright/test';

/** The watermark's text, read through CDP (which pierces the closed shadow root). */
export async function watermarkText(page: Page): Promise<string> {
  const cdp = await page.context().newCDPSession(page);
  const { root } = await cdp.send('DOM.getDocument', { depth: -1, pierce: true });
  const texts: string[] = [];
  const walk = (node: { nodeName: string; attributes?: string[]; children?: typeof node[]; shadowRoots?: typeof node[] }, inside: boolean) => {
    const here = inside || node.nodeName === 'CORDON-WATERMARK';
    if (here && node.attributes !== undefined) texts.push(...node.attributes.filter((_, i) => i % 2 === 1));
    for (const child of [...(node.shadowRoots ?? []), ...(node.children ?? [])]) walk(child, here);
  };
  walk(root, false);
  return decodeURIComponent(texts.join(' '));
}
