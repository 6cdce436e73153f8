export * from './conversation';
export * from './appointment';
export * from './reconcile-appointments';
