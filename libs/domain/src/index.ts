export * from './time';
export * from './vocabulary';
export * from './development';
export * from './domain-error';
export * from './decide';
export * from './decision-model';
export * from './products';
export {
  DEVELOPMENTS,
  Party as PartySchema,
  Source as SourceSchema,
  TIME_MESSAGE,
  Time,
  envelopeFaults,
  envelopeSchema,
} from './developments';
export type {
  DecisionContext,
  DecisionKeys,
  DefinedType,
  DevelopmentDefinition,
  EnvelopeFault,
  EnvelopeForm,
} from './developments';
