package dev.lookout.proberunner.rest;

import java.util.List;

import dev.lookout.proberunner.domain.ComparisonReport;
import dev.lookout.proberunner.domain.ComparisonReport.Answer;
import dev.lookout.proberunner.domain.ComparisonReport.ChangedCheck;
import dev.lookout.proberunner.domain.ComparisonReport.CheckChange;
import dev.lookout.proberunner.domain.ComparisonReport.CheckStats;
import dev.lookout.proberunner.domain.ComparisonReport.ComparedProbe;
import dev.lookout.proberunner.domain.ComparisonReport.LengthChange;
import dev.lookout.proberunner.domain.ComparisonReport.SemanticStats;
import dev.lookout.proberunner.domain.ComparisonReport.StockPhrase;
import dev.lookout.proberunner.domain.ComparisonReport.TagCheckStats;
import dev.lookout.proberunner.domain.ComparisonReport.TargetName;

/** {@link ComparisonReport} → {@link ComparisonResponse}, field by field. */
final class ComparisonMapper {

    private ComparisonMapper() {
    }

    static ComparisonResponse toResponse(ComparisonReport r) {
        return new ComparisonResponse(r.suiteVersionId(), r.probeRunId(), r.project(), target(r.candidate()),
                target(r.baseline()), r.total(), r.changed(), r.errors(), r.shareChanged(), r.identicalToBaseline(),
                r.changedThreshold(), map(r.items(), ComparisonMapper::item), lengthDrift(r.lengthDrift()),
                checks(r.checks()), map(r.stockPhrases(), ComparisonMapper::phrase), semantic(r.semantic()),
                r.computedAt(), r.reused() == null ? null
                        : new ReusedCounts(r.reused().candidate(), r.reused().baseline()));
    }

    private static <A, B> List<B> map(List<A> list, java.util.function.Function<A, B> f) {
        return list == null ? null : list.stream().map(f).toList();
    }

    private static TargetRef target(TargetName t) {
        return t == null ? null : new TargetRef(t.endpoint(), t.model());
    }

    private static ComparisonItem item(ComparedProbe p) {
        return new ComparisonItem(p.probeId(), p.tags(), map(p.messages(), ProbeMapper::message),
                side(p.candidate()), side(p.baseline()), p.identical(), p.similarity(), p.changed(), p.lengthRatio(),
                map(p.checks(), ComparisonMapper::checkDiff), p.semanticSimilarity(), p.semanticModel());
    }

    private static SideDto side(Answer a) {
        return a == null ? null : new SideDto(a.text(), a.error());
    }

    private static CheckDiff checkDiff(CheckChange c) {
        return new CheckDiff(c.index(), c.type(), c.candidate(), c.baseline(), c.status());
    }

    private static LengthDrift lengthDrift(LengthChange l) {
        return l == null ? null : new LengthDrift(l.comparable(), l.candidateMeanLength(), l.baselineMeanLength(),
                l.ratio(), l.medianRatio());
    }

    private static ChecksSummary checks(CheckStats c) {
        return c == null ? null : new ChecksSummary(c.evaluated(), c.notEvaluated(), c.candidatePassRate(),
                c.baselinePassRate(), c.passRateChange(), c.fixed(), c.broken(), map(c.byTag(), ComparisonMapper::tag),
                map(c.brokenChecks(), ComparisonMapper::named), map(c.fixedChecks(), ComparisonMapper::named));
    }

    private static TagChecks tag(TagCheckStats t) {
        return new TagChecks(t.tag(), t.evaluated(), t.candidatePassRate(), t.baselinePassRate(), t.passRateChange(),
                t.fixed(), t.broken());
    }

    private static NamedCheck named(ChangedCheck c) {
        return new NamedCheck(c.probeId(), c.index(), c.type(), c.name(), c.count());
    }

    private static StockPhraseDto phrase(StockPhrase p) {
        return new StockPhraseDto(p.phrase(), p.candidateCount(), p.baselineCount(), p.candidateShare(),
                p.baselineShare(), p.probes());
    }

    private static SemanticSummary semantic(SemanticStats s) {
        return s == null ? null : new SemanticSummary(s.model(), s.models(), s.scored(), s.mean(), s.min());
    }
}
