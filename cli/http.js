// @ts-check
'use strict';

/**
 * A small HTTP client for the Parley API: JSON in and out, the API key as a bearer token, and a
 * few retries when the server is busy (429, 503) or briefly unreachable.
 */

const RETRIES = 4;

class ServerUnreachableError extends Error {
  /** @param {string} url @param {unknown} cause */
  constructor(url, cause) {
    super(
      `cannot reach the Parley server at ${url}: ${cause instanceof Error ? (/** @type {any} */ (cause).cause?.code ?? cause.message) : String(cause)}. Is it running (npm start)? Use --url to point elsewhere.`,
    );
    this.name = 'ServerUnreachableError';
  }
}

/**
 * @typedef {{ status: number, body: any, headers: Headers }} Answer
 */

class ParleyClient {
  /**
   * @param {string} baseUrl
   * @param {{ apiKey?: string, sleep?: (ms: number) => Promise<void> }} [options]
   */
  constructor(baseUrl, options = {}) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.apiKey = options.apiKey;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /**
   * @param {string} method
   * @param {string} path
   * @param {unknown} [body]
   * @returns {Promise<Answer>}
   */
  async request(method, path, body) {
    /** @type {Record<string, string>} */
    const headers = { accept: 'application/json, application/problem+json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.apiKey) headers.authorization = `Bearer ${this.apiKey}`;
    const url = this.baseUrl + path;
    for (let attempt = 0; ; attempt++) {
      let response;
      try {
        response = await fetch(url, {
          method,
          headers,
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      } catch (error) {
        if (attempt < RETRIES) {
          await this.sleep(250 * 2 ** attempt);
          continue;
        }
        throw new ServerUnreachableError(this.baseUrl, error);
      }
      if ((response.status === 429 || response.status === 503) && attempt < RETRIES) {
        const retryAfter = Number(response.headers.get('retry-after'));
        await response.arrayBuffer();
        await this.sleep(
          Number.isFinite(retryAfter) && retryAfter > 0
            ? Math.min(retryAfter, 30) * 1000
            : 250 * 2 ** attempt,
        );
        continue;
      }
      const text = await response.text();
      let parsed = text;
      if (text && /json/.test(response.headers.get('content-type') ?? '')) {
        try {
          parsed = JSON.parse(text);
        } catch {
          // keep the text
        }
      }
      return { status: response.status, body: parsed, headers: response.headers };
    }
  }

  /** @param {string} path */
  get(path) {
    return this.request('GET', path);
  }

  /** @param {string} path @param {unknown} body */
  post(path, body) {
    return this.request('POST', path, body);
  }
}

/**
 * One line saying why the server refused something: status, problem type and detail, and the
 * fields it named.
 * @param {Answer} answer
 */
function refusalReason(answer) {
  const body = answer.body;
  if (body && typeof body === 'object') {
    const rule =
      typeof body.type === 'string' && body.type.startsWith('/problems/')
        ? body.type.slice('/problems/'.length)
        : undefined;
    /** @type {{path: string, message: string}[]} */
    const errors = Array.isArray(body.errors) ? body.errors : [];
    // A 400 is said best by its fields; other problems by their detail, naming the fields.
    const detail =
      answer.status === 400 && errors.length
        ? errors.map((e) => `${e.path}: ${e.message}`).join('; ')
        : [
            body.detail,
            errors.length ? `(${[...new Set(errors.map((e) => e.path))].join(', ')})` : '',
          ]
            .filter(Boolean)
            .join(' ');
    return `${answer.status}${rule ? ` ${rule}` : ''}: ${detail || body.title || 'refused'}`;
  }
  return `${answer.status}: ${String(body).slice(0, 200) || 'refused'}`;
}

module.exports = { ParleyClient, ServerUnreachableError, refusalReason };
