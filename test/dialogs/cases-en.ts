import { en } from './calendar';
import { booking, bookingOnEither, type DialogCase } from './types';

/** English dialogs, as tourists and expats write to a clinic in Buenos Aires: short, lower case, typos. */
export const ENGLISH_DIALOGS: DialogCase[] = [
  {
    id: 'en-the-21st',
    language: 'en', variety: 'EN', topic: 'dates',
    script: (c) => {
      const day = c.dayOfMonth(21);
      return {
        turns: [`Hi! Do you have anything for a facial on the ${en.ordinal(day.day)}?`, '2pm works', 'yes'],
        expect: [booking('limpieza-facial', day, '14:00')],
        confirmAt: 2,
      };
    },
  },
  {
    id: 'en-hi-laser-thursday-january-7-3pm',
    language: 'en', variety: 'EN', topic: 'greetings-regional',
    script: (c) => {
      const day = c.dated(4, { prefer: { month: 1, day: 7 } });
      return {
        turns: [`hi, i'd like laser hair removal on ${en.full(day)} at 3pm`, 'yes please'],
        expect: [booking('depilacion-laser', day, '15:00')],
        confirmAt: 1,
      };
    },
  },
  {
    id: 'en-i-wanna-book-a-masage',
    language: 'en', variety: 'EN', topic: 'greetings-regional',
    script: (c) => {
      const coming = c.next(5);
      return {
        turns: ['i wanna book a masage', 'next friday', 'morning, 10 if possible', 'yes'],
        // "next friday": the coming one, or the one a week later.
        expect: { oneOf: [[booking('masaje-descontracturante', coming, '10:00')], [booking('masaje-descontracturante', coming.plus({ weeks: 1 }), '10:00')]] },
        confirmAt: 3,
      };
    },
  },
  {
    id: 'en-move-it-to-wednesday-same-time',
    language: 'en', variety: 'EN', topic: 'changes',
    script: (c) => {
      const monday = c.upcoming(1);
      const wednesday = c.next(3, monday.day.diff(c.today, 'days').days + 1);
      return {
        turns: [`Can I book a chemical peel on Monday${monday.en} at 11am?`, 'yes', 'can i move it to wednesday instead? same time', 'yes'],
        expect: bookingOnEither('peeling-quimico', [c.next(3), wednesday], '11:00'),
        confirmAt: 1,
      };
    },
  },
  {
    id: 'en-actually-make-it-a-facial',
    language: 'en', variety: 'EN', topic: 'changes',
    script: (c) => {
      const thursday = c.upcoming(4);
      return {
        turns: [`I need a massage on Thursday${thursday.en} at 4pm`, 'yes', 'actually make it a facial instead', 'yes'],
        expect: [booking('limpieza-facial', thursday.day, '16:00')],
        confirmAt: 1,
      };
    },
  },
  {
    id: 'en-10pm-whats-the-latest',
    language: 'en', variety: 'EN', topic: 'offers',
    script: (c) => {
      const friday = c.upcoming(5);
      return {
        turns: [`hi, can I come in friday${friday.en} at 10pm for a chemical peel?`, 'whats the latest you have that day?', 'ok book that'],
        expect: [booking('peeling-quimico', friday.day, '18:00')],
        confirmAt: 2,
      };
    },
  },
  {
    id: 'en-tomorrow-half-past-ten',
    language: 'en', variety: 'EN', topic: 'dates',
    script: (c) => {
      const soon = c.relative([1, 2], { saturday: true });
      return {
        turns: [`Do you have a slot for a deep facial ${soon.en} at half past ten?`, 'great, yes'],
        expect: [booking('limpieza-facial', soon.day, '10:30')],
        confirmAt: 1,
      };
    },
  },
  {
    id: 'en-tuesday-4pm',
    language: 'en', variety: 'EN', topic: 'dates',
    script: (c) => {
      const tuesday = c.upcoming(2);
      return {
        turns: [`Hey, any chance of a massage on Tuesday${tuesday.en} 4pm?`, 'perfect'],
        expect: [booking('masaje-descontracturante', tuesday.day, '16:00')],
        confirmAt: 1,
      };
    },
  },
  {
    id: 'en-day-after-tomorrow-9am',
    language: 'en', variety: 'EN', topic: 'dates',
    script: (c) => {
      const soon = c.relative([2, 1], { saturday: true });
      return {
        turns: [`Could I get laser hair removal ${soon.en} at 9am?`, 'ok'],
        expect: [booking('depilacion-laser', soon.day, '09:00')],
        confirmAt: 1,
      };
    },
  },
  {
    id: 'en-thursday-the-nth-at-noon',
    language: 'en', variety: 'EN', topic: 'dates',
    script: (c) => {
      const day = c.dated(4);
      return {
        turns: [`I'd like a chemical peel on Thursday the ${en.ordinal(day.day)} at noon`, 'yes'],
        expect: [booking('peeling-quimico', day, '12:00')],
        confirmAt: 1,
      };
    },
  },
  {
    id: 'en-prices-only',
    language: 'en', variety: 'EN', topic: 'facts',
    script: () => ({
      turns: ['How much is laser hair removal?', 'And the massage?', 'Thanks, I will think about it'],
      expect: [],
    }),
  },
  {
    id: 'en-availability-then-leaves',
    language: 'en', variety: 'EN', topic: 'facts',
    script: (c) => ({
      turns: [`What times do you have on Wednesday${c.upcoming(3).en} for a facial?`, "ok thanks, I'll check my calendar and get back to you"],
      expect: [],
    }),
  },
  {
    id: 'en-do-you-do-waxing',
    language: 'en', variety: 'EN', topic: 'facts',
    script: () => ({
      turns: ['Do you do waxing?', 'ok, no thanks then'],
      expect: [],
    }),
  },
  {
    id: 'en-where-and-saturdays',
    language: 'en', variety: 'EN', topic: 'facts',
    script: () => ({
      turns: ['Where are you located?', 'and are you open on saturdays?', 'cool thanks'],
      expect: [],
    }),
  },
  {
    id: 'en-no-thanks-to-the-offer',
    language: 'en', variety: 'EN', topic: 'confirmation',
    script: (c) => ({
      turns: [`Is there availability for a massage on Monday${c.upcoming(1).en} at 10?`, "no thanks, that's all"],
      expect: [],
    }),
  },
  {
    id: 'en-burst-peel-friday-11am',
    language: 'en', variety: 'EN', topic: 'greetings-regional',
    script: (c) => {
      const friday = c.upcoming(5);
      return {
        turns: [['hi', 'I need an appointment', 'chemical peel', `friday${friday.en} at 11am`], 'yes'],
        expect: [booking('peeling-quimico', friday.day, '11:00')],
        confirmAt: 1,
      };
    },
  },
  {
    id: 'en-sunday-then-monday-2pm',
    language: 'en', variety: 'EN', topic: 'offers',
    script: (c) => {
      const monday = c.upcoming(1);
      return {
        turns: ['Can I book a facial on Sunday?', `ok what about monday${monday.en} at 2pm?`, 'yes please'],
        expect: [booking('limpieza-facial', monday.day, '14:00')],
        confirmAt: 2,
      };
    },
  },
  {
    id: 'en-taken-how-about-4pm',
    language: 'en', variety: 'EN', topic: 'offers',
    script: (c) => {
      const wednesday = c.upcoming(3);
      return {
        seed: [{ service: 'depilacion-laser', day: wednesday.day, time: '15:00', owner: 'others' }],
        turns: [`Do you have laser hair removal on Wednesday${wednesday.en} at 3pm?`, 'how about 4pm then?', 'yes'],
        expect: [booking('depilacion-laser', wednesday.day, '16:00')],
        confirmAt: 2,
      };
    },
  },
  {
    id: 'en-cancel-my-appointment',
    language: 'en', variety: 'EN', topic: 'changes',
    script: (c) => ({
      seed: [{ service: 'masaje-descontracturante', day: c.upcoming(4).day, time: '14:00', owner: 'customer' }],
      turns: ['Hi, I need to cancel my appointment', 'yes, cancel it'],
      expect: [],
    }),
  },
  {
    id: 'en-what-appointments-do-i-have',
    language: 'en', variety: 'EN', topic: 'wording',
    script: (c) => {
      const tuesday = c.upcoming(2).day;
      return {
        seed: [{ service: 'limpieza-facial', day: tuesday, time: '09:30', owner: 'customer' }],
        turns: ['what appointments do i have?', 'thanks!'],
        expect: [booking('limpieza-facial', tuesday, '09:30')],
      };
    },
  },
  {
    id: 'en-wait-make-it-10',
    language: 'en', variety: 'EN', topic: 'changes',
    script: (c) => {
      const friday = c.upcoming(5);
      return {
        turns: [`Book me a facial on Friday${friday.en} at 9`, 'wait, make it 10 instead', 'yes'],
        expect: [booking('limpieza-facial', friday.day, '10:00')],
        confirmAt: 2,
      };
    },
  },
  {
    id: 'en-ok-confirms',
    language: 'en', variety: 'EN', topic: 'confirmation',
    script: (c) => {
      const tuesday = c.upcoming(2);
      return {
        turns: [`Can I get a chemical peel on Tuesday${tuesday.en} at 2:30pm?`, 'ok'],
        expect: [booking('peeling-quimico', tuesday.day, '14:30')],
        confirmAt: 1,
      };
    },
  },
  {
    id: 'en-next-monday-5pm-sure',
    language: 'en', variety: 'EN', topic: 'confirmation',
    script: (c) => {
      const coming = c.next(1);
      return {
        turns: ['Do you have a massage slot next monday at 5pm?', 'sure, book it'],
        expect: { oneOf: [[booking('masaje-descontracturante', coming, '17:00')], [booking('masaje-descontracturante', coming.plus({ weeks: 1 }), '17:00')]] },
        confirmAt: 1,
      };
    },
  },
  {
    id: 'en-month-and-day-11am',
    language: 'en', variety: 'EN', topic: 'dates',
    script: (c) => {
      const day = c.dayOfMonth(15);
      return {
        turns: [`Any openings on ${en.month(day)} ${day.day} for laser hair removal? ideally 11am`, 'yes'],
        expect: [booking('depilacion-laser', day, '11:00')],
        confirmAt: 1,
      };
    },
  },
  {
    id: 'en-facail-tmrw-afternoon',
    language: 'en', variety: 'EN', topic: 'greetings-regional',
    script: (c) => {
      const soon = c.relative([1, 2]);
      const when = soon.en === 'tomorrow' ? 'tmrw' : soon.en.replace(/^on /, '');
      return {
        turns: [`hii can i book a facail for ${when} afternoon`, '3pm', 'yep'],
        expect: [booking('limpieza-facial', soon.day, '15:00')],
        confirmAt: 2,
      };
    },
  },
  {
    id: 'en-move-my-appointment-to-friday',
    language: 'en', variety: 'EN', topic: 'changes',
    script: (c) => {
      const thursday = c.upcoming(4).day;
      const friday = c.next(5, thursday.diff(c.today, 'days').days + 1);
      return {
        seed: [{ service: 'peeling-quimico', day: thursday, time: '10:00', owner: 'customer' }],
        turns: [`Hi, can I move my appointment to Friday the ${en.ordinal(friday.day)}? Same time`, 'yes'],
        expect: [booking('peeling-quimico', friday, '10:00')],
      };
    },
  },
  {
    id: 'en-book-then-cancel',
    language: 'en', variety: 'EN', topic: 'changes',
    script: (c) => ({
      turns: [`Book a massage for Wednesday${c.upcoming(3).en} at 11`, 'yes', 'sorry, cancel that please', 'yes'],
      expect: [],
    }),
  },
  {
    id: 'en-good-morning-facial-thursday-930',
    language: 'en', variety: 'EN', topic: 'greetings-regional',
    script: (c) => {
      const thursday = c.upcoming(4);
      return {
        turns: [`Good morning! Could I book a deep facial cleansing for Thursday${thursday.en} at 9:30?`, 'yes'],
        expect: [booking('limpieza-facial', thursday.day, '09:30')],
        confirmAt: 1,
      };
    },
  },
  {
    id: 'en-anything-later-that-day',
    language: 'en', variety: 'EN', topic: 'offers',
    script: (c) => {
      const monday = c.upcoming(1);
      return {
        turns: [`Do you have anything Monday${monday.en} morning for a chemical peel?`, 'anything later that day?', '5pm please', 'yes'],
        expect: [booking('peeling-quimico', monday.day, '17:00')],
        confirmAt: 3,
      };
    },
  },
  {
    id: 'en-saturday-morning-9',
    language: 'en', variety: 'EN', topic: 'dates',
    script: (c) => {
      const saturday = c.upcoming(6);
      return {
        turns: [`Are you open Saturday${saturday.en} morning? I want laser hair removal at 9`, 'yes'],
        expect: [booking('depilacion-laser', saturday.day, '09:00')],
        confirmAt: 1,
      };
    },
  },
  {
    id: 'en-10pm-then-6pm',
    language: 'en', variety: 'EN', topic: 'offers',
    script: (c) => {
      const tuesday = c.upcoming(2);
      return {
        turns: [`can i book a massage tuesday${tuesday.en} at 10pm`, 'ok then 6pm', 'yes'],
        expect: [booking('masaje-descontracturante', tuesday.day, '18:00')],
        confirmAt: 2,
      };
    },
  },
  {
    id: 'en-botox-not-offered',
    language: 'en', variety: 'EN', topic: 'facts',
    script: () => ({
      turns: ['Do you offer botox?', 'ok thanks'],
      expect: [],
    }),
  },
  {
    id: 'en-earliest-tomorrow',
    language: 'en', variety: 'EN', topic: 'offers',
    script: (c) => {
      const soon = c.relative([1, 2], { saturday: true });
      return {
        turns: [`What's the earliest you have ${soon.en} for a facial?`, 'book it'],
        expect: [booking('limpieza-facial', soon.day, '09:00')],
        confirmAt: 1,
      };
    },
  },
  {
    id: 'en-never-mind',
    language: 'en', variety: 'EN', topic: 'confirmation',
    script: (c) => ({
      turns: [`I'd like to book a chemical peel on Thursday${c.upcoming(4).en} at 10am`, 'hmm never mind, I changed my mind. thanks'],
      expect: [],
    }),
  },
  {
    id: 'en-taken-6pm-then-5pm',
    language: 'en', variety: 'EN', topic: 'offers',
    script: (c) => {
      const friday = c.upcoming(5);
      return {
        seed: [{ service: 'masaje-descontracturante', day: friday.day, time: '18:00', owner: 'others' }],
        turns: [`can i get a massage friday${friday.en} at 6pm?`, 'ok what about 5pm', 'yes'],
        expect: [booking('masaje-descontracturante', friday.day, '17:00')],
        confirmAt: 2,
      };
    },
  },
  {
    id: 'en-hello-how-long-then-book',
    language: 'en', variety: 'EN', topic: 'wording',
    script: (c) => {
      const wednesday = c.upcoming(3);
      return {
        turns: ['Hello! How long does the chemical peel take?', `Great, can I come on Wednesday${wednesday.en} at 3:30pm?`, 'yes'],
        expect: [booking('peeling-quimico', wednesday.day, '15:30')],
        confirmAt: 2,
      };
    },
  },
];
