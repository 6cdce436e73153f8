import type { ConversationState } from '../../domain/conversation-session';
import type { TokenUsage } from '../../domain/conversation';
import { sumUsage } from '../../domain/usage';

/** Engine v1's state helpers: v2's own, which decide exactly as v1's did (replay depends on it). */
export { failedTurnReason, mergeBookings, outcomeOf, silence } from '../../domain/conversation-session';
export { showDetails } from '../details';

export function addUsage(state: ConversationState, usage: TokenUsage): void {
  state.usage = sumUsage(state.usage, usage);
}
