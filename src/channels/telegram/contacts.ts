/**
 * A customer of a Telegram Business account is answered through that account's connection, so
 * the connection id travels in the contact id: `biz.<connection id>.<chat id>`. A plain chat
 * id is a customer writing to the bot itself.
 */
const BUSINESS_CONTACT = /^biz\.([A-Za-z0-9_-]{1,80})\.(\d{1,20})$/;

/** Undefined when the connection id would not fit a contact id (Telegram's are base64url). */
export function businessContactId(connectionId: string, chatId: number): string | undefined {
  const contactId = `biz.${connectionId}.${chatId}`;
  return BUSINESS_CONTACT.test(contactId) ? contactId : undefined;
}

/** The Bot API's addressing of a contact: `chat_id`, and `business_connection_id` for a business customer. */
export function chatTarget(contactId: string): { chat_id: number | string; business_connection_id?: string } {
  const business = BUSINESS_CONTACT.exec(contactId);
  if (business) return { chat_id: Number(business[2]), business_connection_id: business[1] };
  // Chat ids are numbers; the Bot API also takes a channel's @username as a string.
  return { chat_id: /^-?\d+$/.test(contactId) ? Number(contactId) : contactId };
}
