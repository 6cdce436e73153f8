import type { Lead } from '../domain/leads';
import type { CrmAdapter, CrmLead, CrmSettings } from './adapter';
import { createBitrix24Crm } from './bitrix24';
import { createHubSpotCrm } from './hubspot';
import { createKrayinCrm } from './krayin';
import { createWebhookCrm } from './webhook';

export type { CrmAdapter, CrmLead, CrmSettings } from './adapter';

/** The tenant's CRM adapter; none for the built-in CRM, where PostgreSQL is all there is. */
export function crmAdapter(settings: CrmSettings): CrmAdapter | undefined {
  switch (settings.provider) {
    case 'builtin':
      return undefined;
    case 'bitrix24':
      return createBitrix24Crm(settings);
    case 'krayin':
      return createKrayinCrm(settings);
    case 'hubspot':
      return createHubSpotCrm(settings);
    case 'webhook':
      return createWebhookCrm(settings);
  }
}

/** The lead as every adapter takes it; the key stays the same for the lead's whole life. */
export function leadForCrm(lead: Lead, businessName: string): CrmLead {
  return { lead, idempotencyKey: `concierge-lead-${lead.id}`, businessName };
}
