/** Builders of request bodies, so that each test says only what matters to it. */

export const negotiation = (overrides: Record<string, unknown> = {}) => ({
  id: 'talks',
  title: 'Trade talks',
  openedAt: '2025-01-01',
  parties: [
    { code: 'US', name: 'United States' },
    { code: 'CN', name: 'China' },
  ],
  ...overrides,
});

type Envelope = Record<string, unknown> & { data: Record<string, unknown> };

export const tariffChanged = (data: Record<string, unknown> = {}, envelope: Record<string, unknown> = {}): Envelope => ({
  type: 'TariffChanged',
  occurredAt: '2025-02-01',
  ...envelope,
  data: {
    imposedBy: 'US',
    appliedTo: 'CN',
    measure: 'fentanyl-ieepa',
    rate: 10,
    effectiveAt: '2025-02-04',
    coverage: 'all-goods',
    ...data,
  },
});

export const proposalMade = (data: Record<string, unknown> = {}, envelope: Record<string, unknown> = {}): Envelope => ({
  type: 'ProposalMade',
  occurredAt: '2025-05-01',
  ...envelope,
  data: { proposalId: 'tariff-talks', by: 'US', to: ['CN'], subject: 'talks', summary: 'Talks on tariffs', ...data },
});

export const proposalResponded = (data: Record<string, unknown> = {}, envelope: Record<string, unknown> = {}): Envelope => ({
  type: 'ProposalResponded',
  occurredAt: '2025-05-02',
  ...envelope,
  data: { proposalId: 'tariff-talks', by: 'CN', response: 'under-review', ...data },
});

export const partyJoined = (code: string, name: string, envelope: Record<string, unknown> = {}): Envelope => ({
  type: 'PartyJoined',
  occurredAt: '2025-01-15',
  ...envelope,
  data: { party: { code, name } },
});

export const statementMade = (data: Record<string, unknown> = {}, envelope: Record<string, unknown> = {}): Envelope => ({
  type: 'StatementMade',
  occurredAt: '2025-04-30',
  ...envelope,
  data: { party: 'US', speaker: 'Donald Trump', stance: 'conciliatory', ...data },
});

export const retraction = (targetEventId: string, envelope: Record<string, unknown> = {}): Envelope => ({
  type: 'DevelopmentRetracted',
  occurredAt: '2025-05-03',
  ...envelope,
  data: { targetEventId, reason: 'The report was false' },
});
