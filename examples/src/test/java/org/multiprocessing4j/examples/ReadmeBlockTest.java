package org.multiprocessing4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What ReadmeSnippetsIT makes of a README's Java blocks. */
class ReadmeBlockTest {
    @Test
    void findsOnlyJavaBlocksWithTheLineOfTheirFirstCode() {
        List<String> markdown = List.of(
                "# Title",                // 1
                "```sh",                  // 2
                "mvn verify",             // 3
                "```",                    // 4
                "```java",                // 5
                "int a = 1;",             // 6
                "```",                    // 7
                "",                       // 8
                "```java",                // 9
                "class A {}",             // 10
                "```");                   // 11
        List<ReadmeBlock> blocks = ReadmeBlock.javaBlocks(markdown);
        assertEquals(List.of(new ReadmeBlock(6, List.of("int a = 1;")), new ReadmeBlock(10, List.of("class A {}"))),
                blocks);
        assertEquals("README.md line 6: int a = 1;", blocks.get(0).toString());
    }

    @Test
    void aBlockInAListItemLosesTheIndentOfItsFence() {
        List<ReadmeBlock> blocks = ReadmeBlock.javaBlocks(List.of(
                "- item:",
                "  ```java",
                "  public class A {",
                "      int a;",
                "",
                "  }",
                "  ```"));
        assertEquals(List.of(new ReadmeBlock(3, List.of("public class A {", "    int a;", "", "}"))), blocks);
        assertEquals("A", blocks.get(0).source().mainClass());
    }

    @Test
    void refusesABlockThatIsNotClosed() {
        assertThrows(IllegalArgumentException.class, () -> ReadmeBlock.javaBlocks(List.of("```java", "int a = 1;")));
    }

    @Test
    void wrapsAFragmentInAMainAndMapsItsLinesBackToTheReadme() {
        ReadmeBlock block = new ReadmeBlock(40, List.of("int a = 1;", "System.out.println(a);"));
        ReadmeBlock.Source source = block.source();
        assertEquals("ReadmeLine40", source.mainClass());
        assertEquals("ReadmeLine40.java", source.path());
        List<String> text = List.of(source.text().split("\n"));
        assertTrue(text.contains("import org.multiprocessing4j.*;"), source.text());
        assertEquals("int a = 1;", text.get(source.linesBefore()), source.text());
        assertEquals("README.md line 41", block.where(source, source.linesBefore() + 2));
        assertTrue(block.where(source, 1).contains("generated wrapper"));
    }

    @Test
    void compilesAClassAsWrittenAndRunsItsPublicType() {
        ReadmeBlock block = new ReadmeBlock(7, List.of(
                "package com.example;",
                "class Helper {}",
                "public final class Demo {",
                "    public static void main(String[] args) {}",
                "}"));
        ReadmeBlock.Source source = block.source();
        assertEquals("com.example.Demo", source.mainClass());
        assertEquals("com/example/Demo.java", source.path());
        assertEquals(String.join("\n", block.lines()) + "\n", source.text());
        assertEquals("README.md line 9", block.where(source, 3));
    }

    @Test
    void takesOutputFromCommentsOfPrintingLinesAndTheCommentLinesRightAfter() {
        ReadmeBlock block = new ReadmeBlock(1, List.of(
                "int n = 42;                              // an explanation",
                "System.out.println(\"a // b\" + n);        // a // b42",
                "System.out.println(n);",
                "// 42",
                "// done",
                "",
                "// not output: a blank line came first",
                "p.join();                                // not output",
                "System.out.print('/');                   // /"));
        assertEquals(List.of("a // b42", "42", "done", "/"), block.expectedOutput());
    }
}
