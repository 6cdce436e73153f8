import type { CrmLead } from '../../src/crm/adapter';
import type { Lead } from '../../src/domain/leads';

/** A qualified WhatsApp lead as the CRM adapters' tests push it; `details` changes any field. */
const LEAD_ID = '3f6b1c2a-9d4e-4a7b-8c5d-2e1f0a9b8c7d';
export const KEY = `concierge-lead-${LEAD_ID}`;

export function crmLead(details: Partial<Lead> = {}): CrmLead {
  const lead: Lead = {
    id: LEAD_ID,
    tenantId: 'estetica-sol',
    channel: 'whatsapp',
    contactId: '5491155551234',
    name: 'Ana María López',
    email: 'ana@example.com',
    phone: '+54 9 11 5555-1234',
    company: null,
    interests: ['Depilación láser', 'Limpieza facial'],
    needs: 'Piernas completas, antes del verano',
    budget: 45000,
    score: 70,
    stage: 'qualified',
    conversationId: 'conv-1',
    crmExternalId: null,
    crmStatus: 'pending',
    crmError: null,
    createdAt: new Date('2025-06-02T13:00:00Z'),
    updatedAt: new Date('2025-06-02T13:05:00Z'),
    ...details,
  };
  return { lead, idempotencyKey: KEY, businessName: 'Estética Sol' };
}

