import { Controller, Get, Header, Inject, Logger } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import type { HealthCheckResult } from '@nestjs/terminus';
import type { EventStore } from '@parley/event-store';
import { EVENT_STORE, StoreUnavailableError } from '@parley/event-store';
import {
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { Problem } from '../http/problem';
import { ProjectionLagProbe } from './projection-lag.probe';
import { OpenToAll } from '../http/api-key.guard';
import { ref } from '../docs/openapi.schemas';
import { NoQuery } from '../http/validation';

/** What /health/ready says of a read model a projection failed on (the cause is logged). */
const PROJECTION_FAILED = 'a projection failed on a stored development; see the server log';

/** What /health/ready says of a store that does not answer (the reason is logged, not sent). */
export const STORE_DOWN = 'the store did not answer its ping; the reason is in the server log';

/** How long the store may take to answer a readiness ping. */
const STORE_PING_TIMEOUT_MS = 2000;

const withTimeout = <T>(promise: Promise<T>, ms: number): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    promise.then(
      (value) => (clearTimeout(timer), resolve(value)),
      (error: unknown) => (
        clearTimeout(timer),
        reject(error instanceof Error ? error : new Error(String(error)))
      ),
    );
  });

/**
 * Liveness (`/health`: the process answers) and readiness (`/health/ready`: the store answers,
 * so this instance can serve reads and writes). Outside the contract's routes.
 */
@ApiTags('operations')
@OpenToAll()
@Controller('health')
export class HealthController {
  private readonly logger = new Logger('Health');

  constructor(
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    private readonly lagProbe: ProjectionLagProbe,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @Get()
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: 'Liveness: the process is up and answering' })
  @ApiOkResponse({
    description: 'Alive',
    schema: {
      allOf: [ref('HealthCheck')],
      example: { status: 'ok', info: {}, error: {}, details: {} },
    },
  })
  @HealthCheck()
  live(@NoQuery() _query: unknown): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  @Get('ready')
  @Header('cache-control', 'no-store')
  @ApiOperation({
    summary: 'Readiness: the event store answers a ping and can record',
    description:
      'Fails while the store cannot record (a full disk, a read-only file, its file deleted or replaced under the server; the cause is in the log). Also reports how far this instance’s read model is behind the store (informative). Fails once a projection threw on a stored development (the cause is in the log).',
  })
  @ApiOkResponse({
    description: 'Ready',
    schema: {
      allOf: [ref('HealthCheck')],
      example: {
        status: 'ok',
        info: {
          store: { status: 'up' },
          projections: { status: 'up', lagEvents: 0, lagSeconds: 0 },
        },
        error: {},
        details: {},
      },
    },
  })
  @ApiServiceUnavailableResponse({
    description:
      'The store does not answer (application/problem+json, type /problems/not-ready, with the checks)',
  })
  async ready(@NoQuery() _query: unknown): Promise<HealthCheckResult> {
    try {
      return await this.health.check([
        async () => {
          const check = this.indicator.check('store');
          try {
            await withTimeout(this.store.ping(), STORE_PING_TIMEOUT_MS);
            return check.up();
          } catch (error) {
            // The store's own message can name files or addresses, and this probe is open to all
            // (even with READ_API_KEY): it goes to the log, the answer says only where to look, or
            // the store's sentence for clients (a full disk, a lost file). A fault the store has
            // logged once for its episode is not logged again at every probe.
            const fault = error instanceof StoreUnavailableError ? error : undefined;
            if (!fault?.reported) {
              this.logger.warn(
                `the store did not answer its readiness ping: ${error instanceof Error ? error.message : String(error)}`,
              );
            }
            return check.down({ message: fault?.detail ?? STORE_DOWN });
          }
        },
        async () => {
          const check = this.indicator.check('projections');
          // The cause is logged when it happens; the answer says only where to look.
          if (this.lagProbe.failure()) return check.down({ message: PROJECTION_FAILED });
          try {
            const lag = await this.lagProbe.measure();
            return check.up({ lagEvents: lag.events, lagSeconds: lag.seconds });
          } catch {
            return check.up({ lagEvents: null, lagSeconds: null });
          }
        },
      ]);
    } catch (error) {
      const checks = (error as { getResponse?: () => unknown }).getResponse?.();
      throw new Problem(
        503,
        'not-ready',
        'Not ready',
        'The event store does not answer, or a projection failed; this instance cannot serve yet.',
        {
          checks,
        },
      );
    }
  }
}
