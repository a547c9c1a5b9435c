import { useAssistant } from '../helpers/app';
import { asRead } from '../helpers/asRead';
import { checkinOpened } from '../helpers/checkin';

/** Round 14: the follow-up check-in answered as a structure's leader would — partial answers, words for numbers, a pause said as a question, an opt-out said politely. */
describe('check-in walk of round 14', () => {
  const fx = useAssistant('walk14', { OPERATOR_NAME: 'DLA de la Gironde' });
  const checkins = () => fx.db.connection.db!.collection<{ _id: string; answers?: Record<string, unknown>; status: string }>('checkins');
  const handoffs = (dossierId: string) => fx.db.connection.db!.collection('handoffs').countDocuments({ dossierId });

  it('a leader answering in words (« deux embauches et un CDD transformé en CDI », « une bonne partie », « plutôt satisfaits »): each answer read as meant', async () => {
    const { p, checkinId } = await checkinOpened(fx);
    for (const text of ['deux embauches et un CDD transformé en CDI', 'ça va un peu mieux, on a eu une subvention de la région', 'on y voit plus clair oui',
      'pas vraiment de nouveaux partenaires', 'on en a appliqué une bonne partie', 'plutôt satisfaits']) await p.say(text);
    expect(asRead(await p.say('non pas pour le moment'))).toContain('Merci pour ces réponses');
    const checkin = await checkins().findOne({ _id: checkinId });
    expect(checkin).toMatchObject({ status: 'answered', answers: { economics: { value: 'better' }, strategy: { value: 'yes' }, recommendations: { value: 'partly' }, satisfaction: 4, newNeeds: { any: false } } });
    expect((checkin as { jobCounts?: unknown }).jobCounts).toMatchObject({ created: 2, improved: 1 });
  });

  it('« je sais pas trop » at the satisfaction, then « je dirais 4 sur 5 » at the new-needs question: the mark corrected, no need handed off', async () => {
    const { p, dossierId, checkinId } = await checkinOpened(fx);
    for (const text of ['un départ non remplacé', 'mieux qu’avant je dirais', 'oui clairement', 'non', 'pas encore eu le temps', 'je sais pas trop']) await p.say(text);
    const fix = asRead(await p.say('je dirais 4 sur 5'));
    expect(fix).not.toContain('Merci pour ces réponses');
    expect(fix).toContain('nouveaux besoins');
    expect(asRead(await p.say('non merci'))).toContain('Merci pour ces réponses');
    expect((await checkins().findOne({ _id: checkinId }))?.answers).toMatchObject({ satisfaction: 4, newNeeds: { any: false } });
    expect(await handoffs(dossierId)).toBe(0);
  });

  it('« on peut faire une pause ? », « je dois y aller, on reprend plus tard »: a pause, never an answer; « on peut reprendre le questionnaire ? », « reprenons »: the question asked again', async () => {
    const { p, checkinId } = await checkinOpened(fx);
    await p.say('3');
    expect(asRead(await p.say('on peut faire une pause ?'))).toContain('on fait une pause');
    const back = asRead(await p.say('on peut reprendre le questionnaire ?'));
    expect(back).toContain('Reprenons le point de suivi');
    expect(back).toContain('santé économique');
    await p.say('stable');
    expect(asRead(await p.say('je dois y aller, on reprend plus tard'))).toContain('on fait une pause');
    expect(asRead(await p.say('reprenons'))).toContain('vision stratégique');
    expect((await checkins().findOne({ _id: checkinId }))?.answers).toEqual({ jobs: '3', economics: { value: 'same', text: 'stable' } });
  });

  it.each([
    ['merci mais je préférerais que vous ne me relanciez plus s’il vous plaît', 1],
    ['je ne souhaite plus recevoir ces questionnaires', 1],
    ['non, merci beaucoup, pourriez-vous ne plus me relancer ?', 6],
  ])('« %s » in the middle of a check-in: the check-ins stop, said so — never taken as an answer', async (text, answered) => {
    const { p, checkinId } = await checkinOpened(fx);
    for (const answer of ['aucun', 'stable', 'oui', 'non', 'oui', '4'].slice(0, answered)) await p.say(answer);
    expect(asRead(await p.say(text))).toContain('vous ne recevrez plus de relances de suivi');
    const checkin = await checkins().findOne({ _id: checkinId });
    expect(checkin?.status).toBe('opted_out');
    expect(JSON.stringify(checkin?.answers)).not.toContain('relanc');
    expect(JSON.stringify(checkin?.answers)).not.toContain('questionnaires');
  });

  it('« pas maintenant merci, je suis en réunion » at the first question pauses; « oui avec la communauté de communes, et on aurait besoin d’aide … » answers the partnerships and notes the need', async () => {
    const { p, checkinId } = await checkinOpened(fx);
    expect(asRead(await p.say('pas maintenant merci, je suis en réunion'))).toContain('on fait une pause');
    expect(asRead(await p.say('reprendre'))).toContain('emplois');
    for (const text of ['un poste créé', 'meilleure', 'oui']) await p.say(text);
    const reply = asRead(await p.say('oui avec la communauté de communes, et on aurait besoin d’aide pour monter un dossier FSE'));
    expect(reply).toContain('je transmettrai ce besoin');
    expect(reply).toContain('préconisations');
    expect((await checkins().findOne({ _id: checkinId }))?.answers).toMatchObject({ jobs: 'un poste créé', partnerships: 'oui avec la communauté de communes, et on aurait besoin d’aide pour monter un dossier FSE' });
  });
});
