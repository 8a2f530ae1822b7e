// Serves the console's built UI (console/, built by `npm run build:console`) from the
// collector's own origin: hashed assets under /console/assets/, and index.html for every
// other page path so deep links (a session at a minute) survive a reload.
import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { CONSOLE_BASE } from '../../common/console/consoleApi';
import { consolePage } from './consolePages';

export async function registerConsoleUi(app: FastifyInstance, uiDir: string): Promise<void> {
  const root = path.resolve(uiDir);
  const built = existsSync(path.join(root, 'index.html'));
  await app.register(fastifyStatic, { root: path.join(root, 'assets'), prefix: `${CONSOLE_BASE}/assets/`, index: false, serveDotFiles: false, decorateReply: true, immutable: true, maxAge: '1y' });
  const page = async (_request: unknown, reply: FastifyReply) => {
    if (!built) {
      return reply.code(503).type('text/html; charset=utf-8').send(consolePage('The console is not built', [`This collector serves the console from ${root}, which holds no build yet. Run npm run build:console, then reload.`]));
    }
    return reply.header('cache-control', 'no-cache').sendFile('index.html', root);
  };
  app.get(CONSOLE_BASE, async (_request, reply) => reply.redirect(`${CONSOLE_BASE}/`));
  app.get(`${CONSOLE_BASE}/`, page);
  app.get(`${CONSOLE_BASE}/*`, async (request, reply) => {
    // An unknown asset is a 404, not the page (the API's own paths have their own 404).
    if (new URL(request.url, 'http://x').pathname.startsWith(`${CONSOLE_BASE}/assets/`)) return reply.code(404).send({ error: 'not-found', message: 'no such console resource' });
    return page(request, reply);
  });
}
