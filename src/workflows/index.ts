export * from './conversation';
export * from './appointment';
