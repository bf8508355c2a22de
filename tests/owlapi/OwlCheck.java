// Load one ontology document with the OWL API (as Protégé 5 does) and report what it made of it.
//
//   java OwlCheck [--catalog catalog-v001.xml] file.ttl|file.owl
//
// Imports are resolved only through the catalog's <uri name=... uri=.../> entries (relative
// uris against the catalog's directory, as Protégé does). Every other import IRI is mapped to a
// file that does not exist, so nothing is fetched from the network and a missing entry fails
// the load (MissingImportHandlingStrategy.THROW_EXCEPTION).
//
// Output: one "key: value" line per fact (a closure member's fields tab-separated), read by
// tests/ontology/test_protege_owlapi.py.
// Exit status: 0 loaded (whatever the counts), 2 not loaded, 64 bad arguments.

import java.io.File;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

import javax.xml.parsers.DocumentBuilderFactory;

import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.io.FileDocumentSource;
import org.semanticweb.owlapi.io.OWLOntologyLoaderMetaData;
import org.semanticweb.owlapi.model.AxiomType;
import org.semanticweb.owlapi.model.IRI;
import org.semanticweb.owlapi.model.MissingImportHandlingStrategy;
import org.semanticweb.owlapi.model.OWLDocumentFormat;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyCreationException;
import org.semanticweb.owlapi.model.OWLOntologyLoaderConfiguration;
import org.semanticweb.owlapi.model.OWLOntologyManager;
import org.semanticweb.owlapi.model.OWLRuntimeException;
import org.semanticweb.owlapi.model.parameters.Imports;
import org.semanticweb.owlapi.profiles.OWL2DLProfile;
import org.semanticweb.owlapi.profiles.OWLProfileReport;
import org.semanticweb.owlapi.profiles.OWLProfileViolation;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

public final class OwlCheck {
    private static final String CATALOG_NS = "urn:oasis:names:tc:entity:xmlns:xml:catalog";

    public static void main(String[] args) throws Exception {
        File catalog = null;
        File document = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--catalog") && i + 1 < args.length) {
                catalog = new File(args[++i]);
            } else if (document == null && !args[i].startsWith("--")) {
                document = new File(args[i]);
            } else {
                System.err.println("usage: OwlCheck [--catalog catalog-v001.xml] FILE");
                System.exit(64);
            }
        }
        if (document == null) {
            System.err.println("usage: OwlCheck [--catalog catalog-v001.xml] FILE");
            System.exit(64);
        }

        Map<IRI, IRI> entries = catalog == null ? Map.of() : readCatalog(catalog);
        entries.forEach((name, target) -> System.out.println("catalog: " + name + " -> " + target));
        List<IRI> unresolved = new ArrayList<>();
        IRI offline = IRI.create(new File(System.getProperty("java.io.tmpdir"), "owlcheck-not-in-catalog.ttl"));

        OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
        manager.getIRIMappers().clear();
        manager.getIRIMappers().add(iri -> {
            IRI target = entries.get(iri);
            if (target == null) {
                unresolved.add(iri);
                return offline;
            }
            return target;
        });
        OWLOntologyLoaderConfiguration config = new OWLOntologyLoaderConfiguration()
                .setMissingImportHandlingStrategy(MissingImportHandlingStrategy.THROW_EXCEPTION)
                .setFollowRedirects(false);

        OWLOntology ontology;
        try {
            ontology = manager.loadOntologyFromOntologyDocument(new FileDocumentSource(document), config);
        } catch (OWLOntologyCreationException | OWLRuntimeException e) {  // an unloadable import is unchecked
            for (IRI iri : unresolved) {
                System.out.println("unresolved-import: " + iri);
            }
            System.out.println("error: " + e.getClass().getSimpleName() + ": " + firstLine(e.getMessage()));
            System.exit(2);
            return;
        }

        System.out.println("ontology: " + ontology.getOntologyID().getOntologyIRI().map(IRI::toString).orElse("(anonymous)"));
        System.out.println("version: " + ontology.getOntologyID().getVersionIRI().map(IRI::toString).orElse("(none)"));
        long unparsedTotal = 0;
        for (OWLOntology o : ontology.importsClosure().collect(Collectors.toList())) {
            String iri = o.getOntologyID().getOntologyIRI().map(IRI::toString).orElse("(anonymous)");
            OWLDocumentFormat format = manager.getOntologyFormat(o);
            long unparsed = 0;
            int triples = -1;
            if (format != null && format.getOntologyLoaderMetaData().isPresent()) {
                OWLOntologyLoaderMetaData meta = format.getOntologyLoaderMetaData().get();
                triples = meta.getTripleCount();
                unparsed = meta.getUnparsedTriples().count();
                meta.getUnparsedTriples().forEach(t -> System.out.println("unparsed-triple: " + iri + " " + t));
            }
            unparsedTotal += unparsed;
            System.out.println("closure-member: " + iri + "\tformat=" + (format == null ? "?" : format.getKey())
                    + "\tsource=" + manager.getOntologyDocumentIRI(o)
                    + "\ttriples=" + triples + "\taxioms=" + o.getAxiomCount() + "\tunparsed=" + unparsed);
        }
        System.out.println("imports: " + ontology.directImportsDocuments()
                .map(IRI::toString).collect(Collectors.toCollection(TreeSet::new)));
        System.out.println("unparsed-triples: " + unparsedTotal);
        System.out.println("axioms: " + ontology.getAxiomCount(Imports.INCLUDED));
        System.out.println("logical-axioms: " + ontology.getLogicalAxiomCount(Imports.INCLUDED));
        System.out.println("declarations: " + ontology.getAxiomCount(AxiomType.DECLARATION, Imports.INCLUDED));
        System.out.println("individuals: " + ontology.individualsInSignature(Imports.INCLUDED).count());

        OWLProfileReport report = new OWL2DLProfile().checkOntology(ontology);
        for (OWLProfileViolation v : report.getViolations()) {
            System.out.println("violation: " + v.getClass().getSimpleName() + ": " + firstLine(v.toString()));
        }
        System.out.println("dl-violations: " + report.getViolations().size());
    }

    /** name -> document IRI for every catalog <uri> element; relative uris resolve against the catalog. */
    private static Map<IRI, IRI> readCatalog(File catalog) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        NodeList uris = factory.newDocumentBuilder().parse(catalog).getElementsByTagNameNS(CATALOG_NS, "uri");
        URI base = catalog.getAbsoluteFile().toURI();
        Map<IRI, IRI> entries = new LinkedHashMap<>();
        for (int i = 0; i < uris.getLength(); i++) {
            Element uri = (Element) uris.item(i);
            entries.put(IRI.create(uri.getAttribute("name")), IRI.create(base.resolve(uri.getAttribute("uri"))));
        }
        return entries;
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        String line = text.strip().lines().findFirst().orElse("");
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }
}
