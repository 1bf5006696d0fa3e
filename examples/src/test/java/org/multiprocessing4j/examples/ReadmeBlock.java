package org.multiprocessing4j.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code ```java} block of the README, and what {@link ReadmeSnippetsIT} makes of it: the Java
 * source to compile, the class to run, and the output its comments show.
 *
 * <p><b>Source.</b> A block that declares a top-level type (a line that starts, in column 0,
 * with {@code class}, {@code interface}, {@code enum} or {@code record}, after modifiers) is a
 * compilation unit, compiled as written in a file named after its first public type. Any other
 * block is a fragment, statements as a reader would paste them into a {@code main} method: it
 * becomes the body of {@code public static void main(String[] args) throws Exception} of a
 * generated class that imports {@link #FRAGMENT_IMPORTS}.
 *
 * <p><b>Expected output</b> is written in {@code //} comments, one whole line of standard output
 * each: the comment that ends a line that prints ({@code System.out.print...}), and full-line
 * comments that directly follow such a line or each other. Every other comment explains and is
 * not output.
 *
 * @param firstLine the README's line number (from 1) of the block's first line of code
 * @param lines the block's lines, without the fences
 */
record ReadmeBlock(int firstLine, List<String> lines) {
    /** What a fragment's generated class imports. */
    static final List<String> FRAGMENT_IMPORTS = List.of(
            "java.time.*", "java.util.*", "java.util.concurrent.*", "java.util.stream.*", "org.multiprocessing4j.*");

    /** A top-level type declaration, in column 0; group 1: its modifiers, group 2: its name. */
    private static final Pattern TOP_LEVEL_TYPE = Pattern.compile(
            "^((?:(?:public|abstract|final|sealed|non-sealed|strictfp)\\s+)*)(?:class|interface|enum|record)\\s+(\\w+)",
            Pattern.MULTILINE);
    private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);

    /**
     * What javac compiles for a block.
     *
     * @param path the file's path under the source directory
     * @param text the file's text
     * @param mainClass the binary name of the class to run
     * @param linesBefore how many lines of the text come before the block's first line
     */
    record Source(String path, String text, String mainClass, int linesBefore) {
    }

    ReadmeBlock {
        lines = List.copyOf(lines);
    }

    /**
     * The {@code ```java} blocks of a Markdown text, in order.
     *
     * @throws IllegalArgumentException if a block is not closed
     */
    static List<ReadmeBlock> javaBlocks(List<String> markdown) {
        List<ReadmeBlock> blocks = new ArrayList<>();
        for (int i = 0; i < markdown.size(); i++) {
            if (!markdown.get(i).strip().equals("```java")) {
                continue;
            }
            int start = i + 1;
            int end = start;
            while (end < markdown.size() && !markdown.get(end).strip().equals("```")) {
                end++;
            }
            if (end == markdown.size()) {
                throw new IllegalArgumentException("the ```java block at line " + (i + 1) + " is not closed");
            }
            // A block inside a list item is indented as its fence is: the code is what follows that.
            String fence = markdown.get(i);
            int indent = fence.length() - fence.stripLeading().length();
            List<String> code = new ArrayList<>();
            for (String line : markdown.subList(start, end)) {
                int cut = Math.min(indent, line.length() - line.stripLeading().length());
                code.add(line.substring(cut));
            }
            blocks.add(new ReadmeBlock(start + 1, code));
            i = end;
        }
        return blocks;
    }

    /** The source to compile: the block as it is, or a fragment wrapped in a generated class. */
    Source source() {
        String code = String.join("\n", lines) + "\n";
        String publicType = null;
        String firstType = null;
        Matcher m = TOP_LEVEL_TYPE.matcher(code);
        while (m.find()) {
            firstType = firstType == null ? m.group(2) : firstType;
            if (publicType == null && m.group(1).contains("public")) {
                publicType = m.group(2);
            }
        }
        if (firstType == null) {
            String name = "ReadmeLine" + firstLine;
            StringBuilder header = new StringBuilder();
            for (String i : FRAGMENT_IMPORTS) {
                header.append("import ").append(i).append(";\n");
            }
            header.append("public class ").append(name).append(" {\n")
                    .append("public static void main(String[] args) throws Exception {\n");
            int before = (int) header.chars().filter(c -> c == '\n').count();
            return new Source(name + ".java", header + code + "}\n}\n", name, before);
        }
        String type = publicType != null ? publicType : firstType;
        Matcher p = PACKAGE.matcher(code);
        String pkg = p.find() ? p.group(1) : "";
        String dir = pkg.isEmpty() ? "" : pkg.replace('.', '/') + "/";
        return new Source(dir + type + ".java", code, pkg.isEmpty() ? type : pkg + "." + type, 0);
    }

    /** Where line {@code line} of the compiled {@code source} is: a README line, or the wrapper. */
    String where(Source source, long line) {
        long inBlock = line - source.linesBefore();
        if (inBlock >= 1 && inBlock <= lines.size()) {
            return "README.md line " + (firstLine + inBlock - 1);
        }
        return "line " + line + " of the generated wrapper " + source.path();
    }

    /** The output lines the block's comments show (see the class javadoc). */
    List<String> expectedOutput() {
        List<String> expected = new ArrayList<>();
        boolean afterPrint = false;
        for (String line : lines) {
            int slashes = commentStart(line);
            String code = (slashes < 0 ? line : line.substring(0, slashes)).strip();
            String comment = slashes < 0 ? "" : line.substring(slashes + 2).strip();
            if (code.contains("System.out.print")) {
                afterPrint = true;
                if (!comment.isEmpty()) {
                    expected.add(comment);
                }
            } else if (code.isEmpty() && !comment.isEmpty() && afterPrint) {
                expected.add(comment);
            } else {
                afterPrint = false;
            }
        }
        return expected;
    }

    /** Where the {@code //} comment of a line of Java starts (outside string and char literals), or -1. */
    private static int commentStart(String line) {
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '/' && i + 1 < line.length() && line.charAt(i + 1) == '/') {
                return i;
            }
        }
        return -1;
    }

    /** The README line and first line of code, e.g. {@code README.md line 42: ProcessQueue<String> q = ...}. */
    @Override
    public String toString() {
        String first = lines.stream().filter(l -> !l.isBlank()).findFirst().orElse("").strip();
        return "README.md line " + firstLine + ": " + first;
    }
}
