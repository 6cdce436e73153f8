export * from './conversation';
export * from './appointment';
export * from './reconcile-appointments';
export * from './template-resend';
export * from './lead-sync';
export * from './tool-call';
