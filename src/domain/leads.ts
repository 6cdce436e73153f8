import { z } from 'zod';

/**
 * A lead: what the business knows of one contact as a prospect, kept once per (tenant, channel,
 * contact) and pushed to the tenant's CRM. The stage moves forward as the conversation does
 * (new → qualified → appointment booked) and back when an appointment is cancelled; staff set won or lost.
 */
export const LeadStageSchema = z.enum(['new', 'qualified', 'appointment_booked', 'won', 'lost']);
export type LeadStage = z.infer<typeof LeadStageSchema>;

/** What a customer may tell about themselves; every field optional, each one replaces the last said. */
export const LeadDetailsSchema = z.object({
  name: z.string().trim().min(2).max(120).optional(),
  email: z.email().max(254).optional(),
  phone: z
    .string()
    .trim()
    .regex(/^\+?[\d\s().-]{6,25}$/, 'expected a phone number')
    .optional(),
  company: z.string().trim().min(2).max(200).optional(),
  /** Services they are interested in, as named in the conversation. */
  interests: z.array(z.string().trim().min(2).max(200)).max(10).optional(),
  /** What they need, in a sentence. */
  needs: z.string().trim().min(2).max(1000).optional(),
  /** A budget they stated, in the business's currency. */
  budget: z.number().nonnegative().max(1e9).optional(),
});
export type LeadDetails = z.infer<typeof LeadDetailsSchema>;

/** Where the lead stands with the CRM: `pending` until pushed, `failed` when the CRM refused it (4xx). */
export const CrmSyncStatusSchema = z.enum(['pending', 'synced', 'failed']);
export type CrmSyncStatus = z.infer<typeof CrmSyncStatusSchema>;

export const LeadSchema = z.object({
  id: z.uuid(),
  // Plain strings: the conversation module's schemas import the tools, which import this one.
  tenantId: z.string(),
  channel: z.string(),
  contactId: z.string(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  company: z.string().nullable(),
  interests: z.array(z.string()),
  needs: z.string().nullable(),
  budget: z.number().nullable(),
  score: z.number().int(),
  stage: LeadStageSchema,
  conversationId: z.string().nullable(),
  crmExternalId: z.string().nullable(),
  crmStatus: CrmSyncStatusSchema,
  crmError: z.string().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type Lead = z.infer<typeof LeadSchema>;

/** What a conversation's `state` shows of the contact's lead. */
export type LeadSummary = Pick<Lead, 'id' | 'name' | 'stage' | 'score'>;

export function leadSummary({ id, name, stage, score }: Lead): LeadSummary {
  return { id, name, stage, score };
}

/** A tenant's rules for when a lead is qualified; every field has a default. */
export const QualificationRulesSchema = z.object({
  /** Without these, a lead stays `new` whatever its score. `contact` is an e-mail or a phone. */
  requiredFields: z.array(z.enum(['name', 'email', 'phone', 'contact', 'company'])).default(['name', 'contact']),
  /** Points for each known detail, for showing interest in a service, and for a budget at or over `budgetThreshold`. */
  pointsPerDetail: z.number().int().min(0).max(100).default(15),
  pointsForInterest: z.number().int().min(0).max(100).default(25),
  budgetThreshold: z.number().nonnegative().optional(),
  pointsForBudget: z.number().int().min(0).max(100).default(25),
  /** The score from which a lead with the required fields is qualified; 70 and over is hot. */
  qualifiedFrom: z.number().int().min(0).max(100).default(50),
});
export type QualificationRules = z.infer<typeof QualificationRulesSchema>;

/** A lead this hot gets a follow-up task for its seller in the CRM. */
export const HOT_SCORE = 70;

type Qualifiable = Pick<Lead, 'name' | 'email' | 'phone' | 'company' | 'interests' | 'budget'>;

/** The lead's score (0–100) under the tenant's rules. */
export function leadScore(lead: Qualifiable, rules: QualificationRules): number {
  const details = [lead.name, lead.email, lead.phone, lead.company].filter(Boolean).length;
  let score = details * rules.pointsPerDetail;
  if (lead.interests.length > 0) score += rules.pointsForInterest;
  if (rules.budgetThreshold !== undefined && lead.budget !== null && lead.budget >= rules.budgetThreshold) score += rules.pointsForBudget;
  return Math.min(100, score);
}

function hasRequired(lead: Qualifiable, rules: QualificationRules): boolean {
  return rules.requiredFields.every((field) => (field === 'contact' ? Boolean(lead.email || lead.phone) : Boolean(lead[field])));
}

/**
 * The stage the lead's details and appointments put it at. Staff's verdict (won, lost) stands; an
 * appointment makes it `appointment_booked`; without one (cancelled) it goes back to what its details earn.
 */
export function leadStage(lead: Qualifiable & Pick<Lead, 'stage'>, rules: QualificationRules, hasAppointment: boolean): LeadStage {
  if (lead.stage === 'won' || lead.stage === 'lost') return lead.stage;
  if (hasAppointment) return 'appointment_booked';
  return hasRequired(lead, rules) && leadScore(lead, rules) >= rules.qualifiedFrom ? 'qualified' : 'new';
}
