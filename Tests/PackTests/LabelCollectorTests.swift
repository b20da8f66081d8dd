import Pack
import PropertyBased
import Testing

/// The collector keeps a number an image where the writer kept a string an
/// image: it must decide what deciding over all the texts at once decides.
@Suite struct LabelCollectorTests {
    @Test func decidesWhatTheWholeListDecides() async {
        let text = Gen.int(in: 0...12).map { $0 == 12 ? nil : $0 == 11 ? "" : "class \($0 % 9)" as String? }
        let texts = text.array(of: 0...60)
        await propertyCheck(count: 300, input: texts, Gen.int(in: 1...10)) { texts, maxClasses in
            var collector = LabelCollector()
            for t in texts { collector.append(t) }
            #expect(collector.count == texts.count)
            #expect(collector.decide(maxClasses: maxClasses, what: "descriptions")
                    == LabelVocabulary.decide(texts, maxClasses: maxClasses, what: "descriptions"))
            let present = texts.compactMap { $0 }.filter { !$0.isEmpty }
            if present.count == texts.count, !texts.isEmpty {
                let names = Array(Set(present)).sorted().reversed() + ["unused"]
                guard case let .labels(_, indices) = collector.labels(names: Array(names)) else { Issue.record("no labels"); return }
                #expect(indices.map { names[Int($0)] } == present)
            }
        }
    }
}
