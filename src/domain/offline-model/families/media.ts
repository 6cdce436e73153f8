import { repliesFor, say, type Intent } from '../intent';

/** A voice note that could not be transcribed, or an image, with nothing written: nothing to read. */
export const mediaOnly: Intent = {
  matches: (turn) => turn.burst.text === '' && (turn.burst.untranscribedVoiceNote || turn.burst.image),
  respond: (turn) => {
    const replies = repliesFor(turn);
    return say(turn.burst.untranscribedVoiceNote ? replies.cannotListen : replies.cannotSeeImages);
  },
};
