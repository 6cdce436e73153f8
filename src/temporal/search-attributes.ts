import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

// Names fixed by CONTRACT.md: dashboards and ops queries in the Temporal UI rely on them.
export const TenantIdKey = defineSearchAttributeKey('TenantId', SearchAttributeType.KEYWORD);
export const ChannelKey = defineSearchAttributeKey('Channel', SearchAttributeType.KEYWORD);
export const ContactIdKey = defineSearchAttributeKey('ContactId', SearchAttributeType.KEYWORD);
export const ConversationStatusKey = defineSearchAttributeKey('ConversationStatus', SearchAttributeType.KEYWORD);

/** Every custom attribute the embedded and test servers must register before a workflow uses it. */
export const CUSTOM_SEARCH_ATTRIBUTES = [TenantIdKey, ChannelKey, ContactIdKey, ConversationStatusKey];
