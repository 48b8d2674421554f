import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { QueryBus } from '@nestjs/cqrs';
import { NEGOTIATION_ID, parseInstant } from '@parley/domain';
import { plainToInstance } from 'class-transformer';
import { IsDefined, IsOptional, validate } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ParleyConfig } from '../config';
import type { FieldError } from '../http/problem';
import { Problem } from '../http/problem';
import { fieldErrors, VALIDATOR_OPTIONS } from '../http/validation';
import { IsIsoTime, IsPartyCode } from '../http/validators';
import { GetNegotiation } from '../negotiations/reading/negotiation-queries';
import { IsProductCode } from '../negotiations/reading/reading.request.dto';
import { EMBED_ROUTE, pagePolicy, webRoot } from './timeline-page';

/**
 * The embeddable chart (README, "Embedding a chart"): `web/embed.html` served at one route, the
 * only one other sites may show in a frame. The page itself (web/assets/embed.js) reads the same
 * API as the timeline page; this side checks the address and sets the headers.
 */
export { EMBED_ROUTE };
/** What the embed takes: a pair, a range, a product, a day to read the lines on. Nothing else. */
export class EmbedQueryDto {
  @IsDefined({ message: 'imposedBy is required' }) @IsPartyCode() imposedBy!: string;
  @IsDefined({ message: 'appliedTo is required' }) @IsPartyCode() appliedTo!: string;
  @IsOptional() @IsIsoTime() from?: string;
  @IsOptional() @IsIsoTime() to?: string;
  @IsOptional() @IsProductCode() product?: string;
  @IsOptional() @IsIsoTime() effectiveOn?: string;
}

/** The address's problems, one per offending parameter, as the API names them (empty: none). */
export async function embedQueryProblems(id: string, query: unknown): Promise<FieldError[]> {
  const problems: FieldError[] = [];
  if (!NEGOTIATION_ID.test(id)) {
    problems.push({
      path: 'id',
      message: 'id must be a negotiation slug (lower-case letters, digits, hyphens)',
    });
  }
  const dto = plainToInstance(EmbedQueryDto, query ?? {});
  problems.push(...fieldErrors(await validate(dto, VALIDATOR_OPTIONS)));
  if (problems.length > 0) return problems;
  if (dto.imposedBy === dto.appliedTo) {
    problems.push({ path: 'appliedTo', message: 'appliedTo must differ from imposedBy' });
  }
  // Both bounds read as the API reads them: a date means the end of that day.
  const from = dto.from === undefined ? undefined : parseInstant(dto.from, 'end-of-day');
  const to = dto.to === undefined ? undefined : parseInstant(dto.to, 'end-of-day');
  if (from !== undefined && to !== undefined && from > to) {
    problems.push({ path: 'from', message: 'from must not be after to' });
  }
  return problems;
}

const escapeHtml = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/** A small readable page for a refused address: what was wrong, by parameter. */
function errorPage(title: string, lines: string[]): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="color-scheme" content="light dark" />
    <title>${escapeHtml(title)}: Parley</title>
    <link rel="icon" href="data:," />
    <link rel="stylesheet" href="/assets/style.css" />
    <link rel="stylesheet" href="/assets/embed.css" />
  </head>
  <body class="embed">
    <main>
      <h1>${escapeHtml(title)}</h1>
      <ul class="embed-errors">
${lines.map((line) => `        <li>${escapeHtml(line)}</li>`).join('\n')}
      </ul>
      <p class="embed-source">Parley: an embeddable tariff chart is addressed as <code>/embed/negotiations/&lt;id&gt;/tariffs?imposedBy=US&amp;appliedTo=CN</code>, with optional <code>from</code>, <code>to</code>, <code>product</code> and <code>effectiveOn</code>.</p>
    </main>
  </body>
</html>
`;
}

/**
 * Serves the embed page at EMBED_ROUTE. Framable from `config.embedOrigins` (any origin when
 * unset) through CSP `frame-ancestors`, without X-Frame-Options (set on every answer by helmet,
 * taken off here). Under READ_API_KEY the embed is off: 403, framing forbidden as elsewhere, since
 * a frame cannot send the key. A wrong address is 400 (404 for an unknown negotiation), answered
 * as a readable page in the frame, naming each parameter.
 */
export function serveEmbedPage(app: NestFastifyApplication, config: ParleyConfig): void {
  const origins = config.embedOrigins ?? ['*'];
  const off = (config.access?.readKeys.length ?? 0) > 0;
  const framable = pagePolicy(origins);
  const notFramable = pagePolicy([]);
  const page = join(webRoot(), 'embed.html');
  const queryBus = app.get(QueryBus);

  const answer = (reply: FastifyReply, status: number, html: string, canFrame: boolean) => {
    if (canFrame) {
      reply.raw.removeHeader('x-frame-options');
      // Helmet's same-origin would also stop it in a page that requires CORP of what it embeds (COEP).
      reply.raw.setHeader('cross-origin-resource-policy', 'cross-origin');
    }
    return reply
      .code(status)
      .header('content-type', 'text/html; charset=utf-8')
      .header('content-security-policy', canFrame ? framable : notFramable)
      .header('cache-control', 'no-cache')
      .send(html);
  };

  app
    .getHttpAdapter()
    .getInstance()
    .get(EMBED_ROUTE, async (request: FastifyRequest, reply: FastifyReply) => {
      if (off) {
        return answer(
          reply,
          403,
          errorPage('Embedding is off', [
            'This Parley needs a key to read (READ_API_KEY), and a page in a frame cannot send one, so its charts cannot be embedded.',
          ]),
          false,
        );
      }
      const { id } = request.params as { id: string };
      const problems = await embedQueryProblems(id, request.query);
      if (problems.length > 0) {
        return answer(
          reply,
          400,
          errorPage(
            'This chart’s address is wrong',
            problems.map((p) => `${p.path}: ${p.message}`),
          ),
          true,
        );
      }
      try {
        await queryBus.execute(new GetNegotiation(id));
      } catch (error) {
        if (error instanceof Problem && error.getStatus() === 404) {
          return answer(
            reply,
            404,
            errorPage('No such negotiation', [
              `No negotiation "${id}" is recorded in this Parley.`,
            ]),
            true,
          );
        }
        throw error;
      }
      return answer(reply, 200, await readFile(page, 'utf8'), true);
    });
}
